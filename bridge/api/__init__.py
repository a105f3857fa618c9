"""The bridge's HTTP routers; `fedstack.bridge._app.create_app` mounts them."""

from fedstack.bridge.api import (
    audit,
    compliance,
    drift,
    health,
    inventory,
    stacks,
    states,
    tokens,
    unmanaged,
)

__all__ = [
    "audit",
    "compliance",
    "drift",
    "health",
    "inventory",
    "stacks",
    "states",
    "tokens",
    "unmanaged",
]
