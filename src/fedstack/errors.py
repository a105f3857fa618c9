"""The one exception family of fedstack: every error carries a message a user can act on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fedstack.terraform import Diagnostic

__all__ = [
    "CatalogError",
    "ConfigError",
    "FedstackError",
    "SandboxError",
    "TerraformError",
    "TerraformInterrupted",
    "TerraformNotFound",
    "TerraformTimeout",
]


class FedstackError(Exception):
    """Base of every error fedstack raises on purpose; the CLI prints it as one line."""

    exit_code = 1


class ConfigError(FedstackError):
    """A setting (flag, environment variable or config key) is missing or wrong."""


class CatalogError(FedstackError):
    """The provider catalog cannot be loaded: the message names the file and the key."""


class SandboxError(FedstackError):
    """The local sandbox cloud could not be started, found or stopped."""


class TerraformNotFound(FedstackError):
    """No Terraform or OpenTofu binary could be found."""


class TerraformError(FedstackError):
    """A Terraform command failed; carries Terraform's own diagnostics."""

    def __init__(
        self,
        message: str,
        *,
        command: list[str] | None = None,
        returncode: int | None = None,
        diagnostics: list[Diagnostic] | None = None,
        output: str = "",
    ) -> None:
        super().__init__(message)
        self.command = command or []
        self.returncode = returncode
        self.diagnostics = diagnostics or []
        self.output = output


class TerraformTimeout(TerraformError):
    """A Terraform command ran past its time limit and was stopped."""


class TerraformInterrupted(TerraformError):
    """A Terraform command was stopped (or never started) because the user pressed Ctrl-C."""
