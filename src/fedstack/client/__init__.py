"""fedstack.client: the one HTTP client of the bridge (CLI, agent, drift, unmanaged, demo, tests).

Needs httpx only: no web framework, no database, no cdktf.
"""

from fedstack.client._client import (
    DRIFT_RUNS_PATH,
    UNMANAGED_RUNS_PATH,
    BridgeClient,
    BridgeClientError,
    bridge_token,
)

__all__ = [
    "DRIFT_RUNS_PATH",
    "UNMANAGED_RUNS_PATH",
    "BridgeClient",
    "BridgeClientError",
    "bridge_token",
]
