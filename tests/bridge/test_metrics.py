"""/metrics stays small whatever callers send: every label comes from a bounded set."""

from __future__ import annotations

import time
import uuid

import httpx
from bridge_helpers import BridgeProcess

REQUESTS = 3000
# Methods outside the bridge's own that the C parser (httptools) still passes on to the app; a
# wholly invented method is refused by it with a 400 before the app sees it (h11 passed those on).
EXOTIC = ("PROPFIND", "MKCOL", "SEARCH", "REPORT", "PURGE", "LINK", "UNLINK", "MKCALENDAR", "ACL")


def _scrape(bridge: BridgeProcess) -> str:
    return httpx.get(f"{bridge.url}/metrics", timeout=30).text


def test_made_up_methods_and_paths_do_not_grow_the_scrape(sqlite_bridge: BridgeProcess) -> None:
    """The attack: 3,000 requests with invented methods and paths once grew /metrics to 5.5 MiB.

    Labels do not depend on the database, so the SQLite bridge alone is enough.
    """
    bridge = sqlite_bridge
    state = "/v1/states/metrics/app"
    with httpx.Client(base_url=bridge.url, timeout=10) as client:
        client.get(state)  # every label a normal client produces exists before the baseline
        client.request("PROPFIND", state)
        client.get("/no-such-route")
        before = _scrape(bridge)
        deadline = time.monotonic() + 120
        statuses = set()
        for n in range(REQUESTS):  # bounded in count and in time
            assert time.monotonic() < deadline, f"only {n} requests in 120 s"
            made_up = f"X{uuid.uuid4().hex[:12].upper()}" if n % 4 == 1 else EXOTIC[n % len(EXOTIC)]
            path = (state, f"/random/{uuid.uuid4().hex}", f"/v1/states/{uuid.uuid4().hex}/x")[n % 3]
            statuses.add(client.request(made_up if n % 2 else "GET", path).status_code)
    after = _scrape(bridge)
    assert statuses <= {400, 401, 404, 405}, statuses
    assert {401, 404, 405} <= statuses  # the exotic methods and GETs did reach the app
    series = [line for line in after.splitlines() if line and not line.startswith("#")]
    assert len(after) < len(before) + 8 * 1024, (len(before), len(after))
    assert len(after) < 64 * 1024 and len(series) < 600
    assert 'method="other"' in after and 'method="X' not in after
    assert not [m for m in EXOTIC if f'method="{m}"' in after]
    assert 'route="unmatched"' in after
