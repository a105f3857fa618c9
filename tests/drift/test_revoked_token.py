"""A revoked token is named as such in the bridge's 401, and `fedstack drift --bridge` says so
before running any plan (real bridge on loopback, real SQLite, the console script)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
from cli_helpers import FEDSTACK


def test_a_revoked_token_is_named_revoked_and_a_wrong_one_unknown(tmp_path: Path) -> None:
    from fedstack.bridge import BridgeSettings, running_bridge
    from fedstack.bridge.store import create_token, migrate, open_engine, revoke_token

    db_url = f"sqlite:///{tmp_path / 'bridge.sqlite3'}"
    engine = open_engine(db_url)
    migrate(engine)
    token = create_token(engine, "acme", "drift:write")
    assert revoke_token(engine, token.id)
    engine.dispose()
    folder = tmp_path / "stack"
    folder.mkdir()
    (folder / "main.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    with running_bridge(BridgeSettings(db_url=db_url, port=0)) as url:
        answer = httpx.get(
            f"{url}/v1/stacks", headers={"Authorization": f"Bearer {token.secret}"}, timeout=10
        )
        assert answer.status_code == 401
        assert f"the token {token.id} was revoked on " in answer.text
        wrong = token.secret[:-4] + "AAAA"
        answer = httpx.get(f"{url}/v1/stacks", headers={"Authorization": f"Bearer {wrong}"})
        assert answer.status_code == 401 and "unknown or wrong" in answer.text
        assert token.id not in answer.text
        done = subprocess.run(
            [FEDSTACK, "drift", str(folder), "--bridge", url],
            env={**os.environ, "FEDSTACK_BRIDGE_TOKEN": token.secret},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 1
    assert f"the token {token.id} was revoked on" in done.stderr
    assert token.secret not in done.stderr
    assert not (folder / ".terraform").exists()
