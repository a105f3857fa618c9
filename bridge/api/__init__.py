"""The bridge's HTTP routers and what the app and the dashboard share with them.

`fedstack.bridge._app.create_app` mounts the routers; the request context, the caller and the
error responses are the same for API routes and dashboard pages.
"""

from fedstack.bridge.api._deps import BridgeContext, Caller, context
from fedstack.bridge.api._responses import errors, openapi_document
from fedstack.bridge.api import audit, health, inventory, stacks, states

__all__ = [
    "BridgeContext",
    "Caller",
    "audit",
    "context",
    "errors",
    "health",
    "inventory",
    "openapi_document",
    "stacks",
    "states",
]
