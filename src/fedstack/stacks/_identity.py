"""A stack's identity, `<project>/<stack>`, the same for the bridge, drift runs and the dashboard.

Taken from the stack's http backend address (`.../v1/states/<project>/<stack>`) when it has one,
configured in HCL or JSON, in a `-backend-config` Terraform recorded at init, in a `*.tfbackend`
file beside the stack, or through `TF_HTTP_ADDRESS`; else from `fedstack.json`'s project (or
workload) and stack; else from the folder's name. Pure file reading: no Terraform process.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

__all__ = [
    "StackIdentity",
    "backend_address",
    "backend_config_file",
    "bridge_backend_env",
    "identity_from_address",
    "read_backend_config",
    "stack_identity",
]

IdentitySource = Literal["backend", "fedstack.json", "folder"]

_STATE_PATH = re.compile(r"/v1/states/(?P<project>[^/]+)/(?P<stack>[^/]+)/?$")
_HTTP_BACKEND = re.compile(r'\bbackend\s+"http"\s*\{')
_ASSIGNMENT = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"', re.MULTILINE)


@dataclass(frozen=True)
class StackIdentity:
    """`<project>/<stack>`; project is None when only the folder names the stack."""

    project: str | None
    stack: str
    source: IdentitySource

    def __str__(self) -> str:
        return f"{self.project}/{self.stack}" if self.project else self.stack


def identity_from_address(address: str) -> StackIdentity | None:
    """The project and stack of a bridge state address, or None for another kind of address."""
    match = _STATE_PATH.search(urlsplit(address).path)
    if not match:
        return None
    return StackIdentity(match["project"], match["stack"], "backend")


def stack_identity(
    folder: Path,
    *,
    names: tuple[str | None, str | None] = (None, None),
    env: Mapping[str, str] | None = None,
) -> StackIdentity:
    """The stack's identity; `names` is (project, stack) from its fedstack.json, if any."""
    address = backend_address(folder, env=env)
    found = identity_from_address(address) if address else None
    if found:
        return found
    project, stack = names
    if stack or project:
        return StackIdentity(project, stack or folder.name, "fedstack.json")
    return StackIdentity(None, folder.name, "folder")


def backend_address(folder: Path, *, env: Mapping[str, str] | None = None) -> str | None:
    """The http backend address Terraform uses in `folder`, or None when it has none.

    In Terraform's own order: what init recorded (HCL merged with -backend-config), else the
    configuration, else a `*.tfbackend` file beside it, else TF_HTTP_ADDRESS.
    """
    recorded = _initialised_address(folder)
    if recorded:
        return recorded
    if not _has_http_backend(folder):
        return None
    configured = _configured_address(folder)
    if configured:
        return configured
    file = backend_config_file(folder)
    if file is not None:
        address = read_backend_config(file).get("address")
        if address:
            return address
    value = (env if env is not None else os.environ).get("TF_HTTP_ADDRESS", "").strip()
    return value or None


def bridge_backend_env(folder: Path, identity: StackIdentity, bridge_url: str) -> dict[str, str]:
    """TF_HTTP_* addresses for a stack whose `backend "http" {}` names no address of its own.

    The address is the bridge's state of the stack's identity, so a folder of stacks needs one
    FEDSTACK_BRIDGE_URL instead of one TF_HTTP_ADDRESS per stack. Empty when the stack has no
    http backend, already has an address, or has no project to file the state under.
    """
    if not identity.project or not _has_http_backend(folder):
        return {}
    if _initialised_address(folder) or _configured_address(folder):
        return {}
    file = backend_config_file(folder)
    if file is not None and read_backend_config(file).get("address"):
        return {}
    address = f"{bridge_url.rstrip('/')}/v1/states/{identity.project}/{identity.stack}"
    return {
        "TF_HTTP_ADDRESS": address,
        "TF_HTTP_LOCK_ADDRESS": f"{address}/lock",
        "TF_HTTP_UNLOCK_ADDRESS": f"{address}/lock",
        "TF_HTTP_LOCK_METHOD": "LOCK",
        "TF_HTTP_UNLOCK_METHOD": "UNLOCK",
    }


def backend_config_file(folder: Path) -> Path | None:
    """The one `*.tfbackend` file beside the stack (Terraform's name for -backend-config files)."""
    files = sorted(folder.glob("*.tfbackend"))
    return files[0] if len(files) == 1 else None


def read_backend_config(file: Path) -> dict[str, str]:
    """The `key = "value"` lines of a backend config file."""
    try:
        text = file.read_text(errors="replace")
    except OSError:
        return {}
    return {key: value for key, value in _ASSIGNMENT.findall(text)}


def _initialised_address(folder: Path) -> str | None:
    data_dir = Path(os.environ.get("TF_DATA_DIR") or folder / ".terraform")
    if not data_dir.is_absolute():
        data_dir = folder / data_dir
    try:
        backend = json.loads((data_dir / "terraform.tfstate").read_text())["backend"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(backend, dict) or backend.get("type") != "http":
        return None
    address = (backend.get("config") or {}).get("address")
    return address if isinstance(address, str) and address else None


def _config_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.tf*") if p.name.endswith((".tf", ".tf.json")))


def _has_http_backend(folder: Path) -> bool:
    return any(_http_block(file) is not None for file in _config_files(folder))


def _configured_address(folder: Path) -> str | None:
    for file in _config_files(folder):
        block = _http_block(file)
        if isinstance(block, dict) and isinstance(block.get("address"), str):
            return str(block["address"])
    return None


def _http_block(file: Path) -> dict[str, object] | None:
    """The http backend block of one file as {setting: value} (strings only), or None."""
    try:
        text = file.read_text(errors="replace")
    except OSError:
        return None
    if file.name.endswith(".tf.json"):
        return _json_http_block(text)
    match = _HTTP_BACKEND.search(text)
    if not match:
        return None
    depth, end = 1, match.end()
    while end < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        end += 1
    body = text[match.end() : end - 1]
    return {key: value for key, value in _ASSIGNMENT.findall(body)}


def _json_http_block(text: str) -> dict[str, object] | None:
    try:
        config = json.loads(text)
    except ValueError:
        return None
    blocks = config.get("terraform") if isinstance(config, dict) else None
    for block in blocks if isinstance(blocks, list) else [blocks]:
        backend = block.get("backend") if isinstance(block, dict) else None
        for entry in backend if isinstance(backend, list) else [backend]:
            http = entry.get("http") if isinstance(entry, dict) else None
            if isinstance(http, dict):
                return http
    return None
