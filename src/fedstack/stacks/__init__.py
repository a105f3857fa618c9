"""Federated stacks after synth: run an app, read its stacks, deploy/destroy them in order.

Pure Python around the Terraform runner: must not import cdktf, jsii or the web framework
(the app runs in its own process, which is where the CDK library lives).
"""

from fedstack.stacks._app import AppError, plan_app, resolve_app, run_app
from fedstack.stacks._identity import (
    StackIdentity,
    backend_address,
    backend_config_file,
    bridge_backend_env,
    identity_from_address,
    read_backend_config,
    stack_identity,
)
from fedstack.stacks._manifest import StackInfo, read_stacks, select_stacks
from fedstack.stacks._orchestrate import StackResult, run_stacks
from fedstack.stacks._script import one_line_errors

__all__ = [
    "AppError",
    "StackIdentity",
    "StackInfo",
    "StackResult",
    "plan_app",
    "backend_address",
    "backend_config_file",
    "bridge_backend_env",
    "identity_from_address",
    "one_line_errors",
    "read_backend_config",
    "read_stacks",
    "resolve_app",
    "run_app",
    "run_stacks",
    "select_stacks",
    "stack_identity",
]
