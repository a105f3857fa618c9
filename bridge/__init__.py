"""fedstack.bridge: the Terraform HTTP state backend, cross-provider inventory and reports.

Must start without Node: never imports cdktf or jsii. Importing this package is cheap; the web
framework and the database layer load when `create_app`, `serve`, `running_bridge` or `BridgeClient` is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fedstack.bridge._app import create_app
    from fedstack.bridge._background import running_bridge
    from fedstack.bridge._crypto import generate_key
    from fedstack.bridge._server import serve
    from fedstack.bridge._settings import BridgeSettings, default_db_url
    from fedstack.client import BridgeClient

__all__ = [
    "BridgeClient",
    "BridgeSettings",
    "create_app",
    "default_db_url",
    "generate_key",
    "running_bridge",
    "serve",
]

_LAZY = {
    "create_app": "fedstack.bridge._app",
    "running_bridge": "fedstack.bridge._background",
    "serve": "fedstack.bridge._server",
    "BridgeSettings": "fedstack.bridge._settings",
    "default_db_url": "fedstack.bridge._settings",
    # `fedstack bridge keygen`: a new state-encryption key.
    "generate_key": "fedstack.bridge._crypto",
    # The one bridge client lives in the core; re-exported here for scripts that expect it.
    "BridgeClient": "fedstack.client",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'fedstack.bridge' has no attribute {name!r}")
