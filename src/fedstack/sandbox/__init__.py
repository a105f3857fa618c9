"""The sandbox cloud: one moto server per sandbox provider of the catalog, on loopback.

Moto speaks the S3, EC2 and Route 53 APIs; the hashicorp/aws provider with custom endpoints
talks to it as EU providers document for their S3-compatible storage.
"""

from fedstack.sandbox._manager import Sandbox, SandboxStatus
from fedstack.sandbox._state import SandboxServer, read_state, state_file
from fedstack.sandbox._terraform import (
    SANDBOX_CREDENTIALS,
    aws_provider_config,
    credentials_for,
    module_root_config,
)

__all__ = [
    "SANDBOX_CREDENTIALS",
    "Sandbox",
    "SandboxServer",
    "SandboxStatus",
    "aws_provider_config",
    "credentials_for",
    "module_root_config",
    "read_state",
    "state_file",
]
