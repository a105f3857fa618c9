"""The Terraform runner: finds Terraform or OpenTofu and runs it with fedstack's own CLI config.

Must not import cdktf, jsii or the web framework.
"""

from fedstack.terraform._binary import TerraformBinary, find_binary
from fedstack.terraform._diagnostics import Diagnostic
from fedstack.terraform._runner import (
    DEFAULT_TIMEOUT,
    GRACE_SECONDS,
    OnMessage,
    PlanResult,
    Terraform,
    clear_interrupt,
    interrupt_all,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "Diagnostic",
    "GRACE_SECONDS",
    "OnMessage",
    "PlanResult",
    "Terraform",
    "TerraformBinary",
    "clear_interrupt",
    "find_binary",
    "interrupt_all",
]
