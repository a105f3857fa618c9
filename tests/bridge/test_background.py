"""`running_bridge`: a bridge in a background thread of this process, as the demo uses it."""

from __future__ import annotations

from pathlib import Path

import httpx
from bridge_helpers import new_lineage, state_body
from fedstack.bridge import BridgeClient, BridgeSettings, running_bridge


def test_running_bridge_serves_until_the_block_ends(tmp_path: Path) -> None:
    settings = BridgeSettings(db_url=f"sqlite:///{tmp_path / 'bridge.sqlite3'}", port=0, auth=False)
    with running_bridge(settings) as url:
        body = state_body(1, new_lineage())
        assert httpx.post(f"{url}/v1/states/demo/app", content=body).status_code == 200
        with BridgeClient(url) as client:
            assert client.state("demo", "app") == body
            assert [s["stack"] for s in client.stacks()] == ["app"]
    try:
        httpx.get(f"{url}/healthz", timeout=2)
    except httpx.ConnectError:
        pass
    else:
        raise AssertionError("the bridge still answers after the block ended")
