"""examples/plain-terraform for real: shared module by relative path, state in a real bridge
(backend "http", token only in the environment), `fedstack drift` over the folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
from cli_helpers import FEDSTACK


def test_plain_terraform_keeps_state_in_the_bridge_and_drift_reports_the_retagged_bucket(
    plain_stack, bridge, retagged, tmp_path: Path
) -> None:
    state = httpx.get(
        f"{bridge.url}/v1/states/plain/assets", auth=("me", bridge.state_token), timeout=10
    )
    assert state.status_code == 200
    modules = {r.get("module") for r in state.json()["resources"]}
    assert modules == {"module.assets"}
    for file in plain_stack.workdir.rglob("*"):
        if file.is_file() and ".terraform" not in file.parts:
            assert bridge.state_token not in file.read_text(errors="replace"), file

    env = {**os.environ, **plain_stack.env, "FEDSTACK_BRIDGE_TOKEN": bridge.drift_token}
    done = subprocess.run(
        [
            FEDSTACK,
            "drift",
            str(plain_stack.workdir),
            "--format",
            "md,junit",
            "--out",
            str(tmp_path),
            "--bridge",
            bridge.url,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    markdown = (tmp_path / "drift.md").read_text()
    assert "sandbox-fr" in markdown and "fr-par" in markdown  # from the example's fedstack.json
    assert (
        "| <code>module.assets.aws_s3_bucket.this</code> | changed | <code>tags.team</code> | platform | marketing |"
        in markdown
    )
    runs = httpx.get(
        f"{bridge.url}/v1/drift-runs",
        headers={"Authorization": f"Bearer {bridge.drift_token}"},
        timeout=10,
    )
    assert runs.status_code == 200 and runs.json()
