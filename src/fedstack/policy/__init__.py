"""The sovereignty policy engine: rules mapped to Gaia-X criteria, checked against the catalog.

One engine for three places: placement (the CDK layer), Terraform/OpenTofu plans
(`fedstack policy check`) and live state (the bridge inventory, through `check_resources`).
Pure Python: must not import cdktf, jsii or the web framework.
"""

from fedstack.policy._errors import PlanError, PolicyError
from fedstack.policy._loader import load_policy
from fedstack.policy._outcome import Finding, Outcome, worst
from fedstack.policy._policy import PlacementCheck, Policy
from fedstack.policy._presets import PRESETS
from fedstack.policy._rules import AREAS, CERTIFICATIONS, RULE_TYPES, Rule
from fedstack.policy._subject import Subject

__all__ = [
    "AREAS",
    "CERTIFICATIONS",
    "PRESETS",
    "RULE_TYPES",
    "Finding",
    "Outcome",
    "PlacementCheck",
    "PlanError",
    "Policy",
    "PolicyError",
    "Rule",
    "Subject",
    "load_policy",
    "worst",
]
