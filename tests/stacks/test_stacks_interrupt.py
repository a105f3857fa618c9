"""Ctrl-C in `fedstack deploy` and `fedstack destroy`, pressed in a real terminal (a pty).

The app is a plain Python file that writes a cdktf-shaped output folder (no Node needed): four
stacks of Terraform's built-in `terraform_data`, run one at a time (`--parallelism 1`).
`a-fast` finishes; `b-slow` hangs in a `local-exec` provisioner (`sleep`, at create time for
deploy, at destroy time for destroy); `c-after-b` waits for b-slow in the dependency order and
`d-other` waits for a pool worker. Ctrl-C must stop b-slow's Terraform (its own session, out of
the terminal's reach) and its `sleep`, cancel c-after-b and d-other, and say what it waits for.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from cli_helpers import FEDSTACK
from pty_helpers import ctrl_c_in_a_terminal, processes_in

HANG_SECONDS = 600

APP = """
import json, os
from pathlib import Path

out = Path(os.environ["CDKTF_OUTDIR"])
hang = os.environ["HANG"]  # "deploy" or "destroy": when b-slow's provisioner runs
deps = {"c-after-b": ["b-slow"]} if hang == "deploy" else {"b-slow": ["c-after-b"]}
stacks = {}
for name in ("a-fast", "b-slow", "c-after-b", "d-other"):
    resource = {"input": name}
    if name == "b-slow":
        when = {} if hang == "deploy" else {"when": "destroy"}
        resource["provisioner"] = [{"local-exec": {"command": "sleep %(hang)d", **when}}]
    folder = out / "stacks" / name
    folder.mkdir(parents=True, exist_ok=True)
    body = {"resource": {"terraform_data": {"this": resource}}}
    (folder / "cdk.tf.json").write_text(json.dumps(body))
    stacks[name] = {"workingDirectory": f"stacks/{name}", "dependencies": deps.get(name, [])}
(out / "manifest.json").write_text(json.dumps({"stacks": stacks}))
""" % {"hang": HANG_SECONDS}


def _sleeping(folder: Path) -> bool:
    for pid in processes_in(folder):
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"sleep\0"):
                return True
        except OSError:
            continue
    return False


@pytest.mark.parametrize("action", ["deploy", "destroy"])
def test_ctrl_c_stops_terraform_and_cancels_queued_stacks(action: str, tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text(APP)
    out = (tmp_path / "cdktf.out").resolve()
    env = {**os.environ, "HANG": action, "COLUMNS": "200"}
    common = [str(tmp_path / "main.py"), "--out", str(out), "--parallelism", "1"]
    if action == "destroy":  # something to destroy first; the hang is at destroy time only
        done = subprocess.run(
            [FEDSTACK, "deploy", *common], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
    slow = out / "stacks" / "b-slow"
    pressed = ctrl_c_in_a_terminal(
        [action, *common], lambda _pid, _screen: slow.is_dir() and _sleeping(slow), env
    )
    code, took, screen = pressed.code, pressed.took, pressed.screen
    assert code == 130, screen[-3000:]
    assert took < 30, took  # SIGINT, then SIGKILL after the 10 s grace period at the latest
    flat = " ".join(screen.split())  # the terminal wraps long lines
    assert "interrupted: cancelled, not started: c-after-b, d-other" in flat, screen[-3000:]
    verb = "apply" if action == "deploy" else "apply -destroy"
    assert "interrupted: stopping 1 Terraform process(es)" in flat, screen[-3000:]
    assert f"terraform {verb} in" in flat and "b-slow" in flat, screen[-3000:]
    assert "fedstack: interrupted" in flat and "Traceback" not in screen
    assert not processes_in(slow)  # Terraform and the provisioner's sleep are gone
    for name in ("c-after-b", "d-other"):
        state = out / "stacks" / name / "terraform.tfstate"
        if action == "deploy":
            assert not (out / "stacks" / name / ".terraform").exists(), name  # never started
        else:
            assert "terraform_data" in state.read_text(), name  # never destroyed
