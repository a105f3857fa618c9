"""Several bridge replicas on one PostgreSQL database: migrations, locks and serials hold across them."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest
from bridge_helpers import BridgeProcess, bearer, lock_info, make_tokens, new_lineage, state_body


@pytest.fixture(scope="module")
def replicas(new_database: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Two bridges started at the same moment on one fresh PostgreSQL database (for this module)."""
    db_url = new_database("postgresql")
    logs = tmp_path_factory.mktemp("replicas")
    pair = [BridgeProcess(db_url, logs / f"replica{i}.log").launch() for i in range(2)]
    try:
        for replica in pair:
            replica.wait_ready()  # both migrated the same fresh database without tripping
        yield pair
    finally:
        for replica in pair:
            replica.stop()


def test_a_lock_taken_on_one_replica_holds_on_the_other(replicas: list[BridgeProcess]) -> None:
    a, b = replicas
    tokens = make_tokens(a.db_url, "replicated")
    info = lock_info("replica-a-client")
    httpx.request(
        "LOCK", f"{a.url}/v1/states/replicated/app/lock", json=info, headers=bearer(tokens.write)
    ).raise_for_status()
    refused = httpx.request(
        "LOCK",
        f"{b.url}/v1/states/replicated/app/lock",
        json=lock_info(),
        headers=bearer(tokens.write),
    )
    assert refused.status_code == 423
    assert refused.json() == info
    write = httpx.post(
        f"{b.url}/v1/states/replicated/app",
        content=state_body(1, new_lineage()),
        headers=bearer(tokens.write),
    )
    assert write.status_code == 423


def test_concurrent_writes_of_one_serial_on_two_replicas_store_exactly_one(
    replicas: list[BridgeProcess],
) -> None:
    tokens = make_tokens(replicas[0].db_url, "racing")
    lineage = new_lineage()
    for serial in range(1, 16):
        answers: list[int] = []
        barrier = threading.Barrier(2)

        def post(
            replica: BridgeProcess,
            flavour: int,
            serial: int = serial,
            barrier: threading.Barrier = barrier,
            answers: list[int] = answers,
        ) -> None:
            body = state_body(serial, lineage, pad=flavour + 1)
            barrier.wait(timeout=10)
            response = httpx.post(
                f"{replica.url}/v1/states/racing/app",
                content=body,
                headers=bearer(tokens.write),
                timeout=30,
            )
            answers.append(response.status_code)

        threads = [threading.Thread(target=post, args=(r, i)) for i, r in enumerate(replicas)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(answers) == [200, 409], (serial, answers)
    listed = httpx.get(
        f"{replicas[1].url}/v1/states/racing/app/versions", headers=bearer(tokens.read)
    ).json()["versions"]
    assert [(v["version"], v["serial"]) for v in listed] == [(n, n) for n in range(1, 16)]
