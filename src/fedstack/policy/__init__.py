"""The sovereignty policy engine: rules mapped to Gaia-X criteria, checked against the catalog.

One engine for three places: placement (the CDK layer, `Policy.check_placement`),
Terraform/OpenTofu plans (`check_plan`, `fedstack policy check`) and live state (the bridge
inventory, through `check_resources`). Pure Python: must not import cdktf, jsii or the web
framework.
"""

from fedstack.policy._docs import rule_id, rule_parameters, rules_markdown
from fedstack.policy._errors import PlanError, PolicyError
from fedstack.policy._loader import load_policy
from fedstack.policy._outcome import Finding, Outcome, worst
from fedstack.policy._plan import Plan, parse_plan, read_plan
from fedstack.policy._plancheck import check_plan, sandbox_endpoints
from fedstack.policy._policy import PlacementCheck, Policy
from fedstack.policy._presets import GAIA_X_COVERAGE, PRESETS, Coverage
from fedstack.policy._report import PolicyReport, check_resources
from fedstack.contracts import match_region
from fedstack.policy._resolve import (
    UTILITY_PROVIDERS,
    ResourcePlacement,
    Skipped,
    provider_source,
    resolve_plan,
)
from fedstack.policy._rules import AREAS, CERTIFICATIONS, RULE_TYPES, Rule
from fedstack.policy._subject import Subject
from fedstack.policy._validation import describe
from fedstack.reports.policy import FORMATS, render, write_reports

__all__ = [
    "AREAS",
    "CERTIFICATIONS",
    "Coverage",
    "FORMATS",
    "GAIA_X_COVERAGE",
    "PRESETS",
    "RULE_TYPES",
    "UTILITY_PROVIDERS",
    "Finding",
    "Outcome",
    "PlacementCheck",
    "Plan",
    "PlanError",
    "Policy",
    "PolicyError",
    "PolicyReport",
    "ResourcePlacement",
    "Rule",
    "Skipped",
    "Subject",
    "check_plan",
    "check_resources",
    "describe",
    "load_policy",
    "match_region",
    "parse_plan",
    "provider_source",
    "read_plan",
    "render",
    "resolve_plan",
    "rule_id",
    "rule_parameters",
    "rules_markdown",
    "sandbox_endpoints",
    "worst",
    "write_reports",
]
