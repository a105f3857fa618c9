"""The Terraform runner: finds Terraform or OpenTofu and runs it with fedstack's own CLI config.

Must not import cdktf, jsii or the web framework.
"""

from fedstack.terraform._binary import TerraformBinary, find_binary
from fedstack.terraform._diagnostics import Diagnostic
from fedstack.terraform._runner import DEFAULT_TIMEOUT, OnMessage, PlanResult, Terraform

__all__ = [
    "DEFAULT_TIMEOUT",
    "Diagnostic",
    "OnMessage",
    "PlanResult",
    "Terraform",
    "TerraformBinary",
    "find_binary",
]
