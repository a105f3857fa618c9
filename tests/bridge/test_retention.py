"""Retention: off by default; an explicit keep-versions setting drops only the oldest versions."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from bridge_helpers import BridgeProcess, bearer, make_tokens, new_lineage, state_body
from fedstack.bridge._settings import BridgeSettings

from fedstack.errors import ConfigError


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_keep_versions_drops_the_oldest_and_never_the_current(
    kind: str, new_database: Callable[[str], str], tmp_path: Path
) -> None:
    db_url = new_database(kind)
    tokens = make_tokens(db_url, "kept")
    bridge = BridgeProcess(db_url, tmp_path / "bridge.log", ["--keep-versions", "3"]).start()
    try:
        url = f"{bridge.url}/v1/states/kept/app"
        lineage = new_lineage()
        with httpx.Client(headers=bearer(tokens.write)) as client:
            for serial in range(1, 7):
                client.post(url, content=state_body(serial, lineage)).raise_for_status()
            listed = client.get(url + "/versions").json()["versions"]
            assert [v["version"] for v in listed] == [4, 5, 6]
            assert client.get(url + "/versions/1").status_code == 404
            restored = client.post(url + "/versions/4/restore", headers=bearer(tokens.admin)).json()
            assert restored["version"] == 7
            assert [v["version"] for v in client.get(url + "/versions").json()["versions"]] == [
                5,
                6,
                7,
            ]
            pruned = client.get(
                f"{bridge.url}/v1/audit", params={"action": "prune"}, headers=bearer(tokens.admin)
            ).json()["entries"]
            assert [e["detail"]["up_to_version"] for e in pruned] == [4, 3, 2, 1]
    finally:
        bridge.stop()


def test_every_version_is_kept_unless_retention_is_set() -> None:
    assert BridgeSettings(db_url="sqlite://").keep_versions == 0
    with pytest.raises(ConfigError, match="keep-versions"):
        BridgeSettings(db_url="sqlite://", keep_versions=-1)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from fedstack.cli import main; main()",
            "bridge",
            "serve",
            "--help",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "--keep-versions" in done.stdout and "keep every version" in done.stdout
