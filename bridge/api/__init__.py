"""The bridge's HTTP routers; `fedstack.bridge._app.create_app` mounts them."""

from fedstack.bridge.api import audit, health, inventory, stacks, states

__all__ = ["audit", "health", "inventory", "stacks", "states"]
