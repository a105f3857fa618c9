"""Ctrl-C in `fedstack drift`, pressed in a real terminal (a pty), with real Terraform running.

Three stacks, one at a time: `a-fast` finishes, `b-slow` hangs in its plan (its aws provider
talks to a loopback socket that accepts and never answers), `c-queued` waits its turn. Ctrl-C
must stop b-slow's Terraform (which runs in its own session, out of the terminal's reach), never
start c-queued, say what it waits for, and write the report of a-fast. Merged (the default),
b-slow and c-queued share one plan in a temporary root, which Ctrl-C stops the same way.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pty_helpers import alive, ctrl_c_in_a_terminal, descendants, processes_in

from fedstack.sandbox import SANDBOX_CREDENTIALS


@pytest.fixture
def black_hole() -> Iterator[str]:
    """An HTTP endpoint on loopback that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set() and len(held) < 64:
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    server.close()


def _stacks(root: Path, endpoint: str) -> None:
    (root / "a-fast").mkdir(parents=True)
    (root / "a-fast" / "main.tf").write_text(
        'terraform {\n  backend "local" {}\n}\nlocals {\n  x = 1\n}\n'
    )
    # An override file keeps a-fast out of the merged run: it is checked alone, beside it.
    (root / "a-fast" / "override.tf").write_text("locals {\n  x = 2\n}\n")
    for name in ("b-slow", "c-queued"):
        (root / name).mkdir()
        (root / name / "main.tf").write_text(
            f"""terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = ">= 5.0, < 6.0"
    }}
  }}
}}

provider "aws" {{
  region                      = "eu-west-3"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true
  max_retries                 = 1
  endpoints {{
    s3  = "{endpoint}"
    sts = "{endpoint}"
  }}
}}

data "aws_s3_bucket" "never_answers" {{
  bucket = "black-hole"
}}
"""
        )


def _planning(root: int) -> bool:
    for pid in descendants(root):
        try:
            if b"-refresh-only" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


@pytest.mark.parametrize("merge", [False, True], ids=["per-stack", "merged"])
def test_ctrl_c_stops_terraform_cancels_queued_stacks_and_writes_the_partial_report(
    tmp_path: Path, black_hole: str, merge: bool
) -> None:
    root = tmp_path / "stacks"
    _stacks(root, black_hole)
    out = tmp_path / "report"
    slow = (root / "b-slow").resolve()
    fast = (root / "a-fast").resolve()
    # --no-merge: the per-stack pool (queued stacks, one Terraform per stack folder).
    # Merged: two workers, the merged plan and a-fast alone beside it.
    pool = ["--parallel", "2"] if merge else ["--no-merge", "--parallel", "1"]
    # Per stack, b-slow's plan runs in its folder; merged, b-slow and c-queued share one plan in
    # a temporary root. a-fast is done when its progress line says so: between its init and its
    # plan no Terraform runs in its folder either, and a busy machine can hold that gap open.
    pressed = ctrl_c_in_a_terminal(
        ["drift", str(root), *pool, "--out", str(out), "--format", "json"],
        lambda pid, screen: (
            _planning(pid) and "a-fast: in sync" in screen and not processes_in(fast)
        ),
        {**os.environ, **SANDBOX_CREDENTIALS, "COLUMNS": "200"},
        settle=1.0,  # let the plan reach the provider call that hangs
    )
    code, took, text, started = pressed.code, pressed.took, pressed.screen, pressed.started
    assert code == 130, text[-3000:]
    assert took < 30, took  # SIGINT, then SIGKILL after the 10 s grace period at the latest
    assert "interrupted: stopping 1 Terraform process(es)" in text, text[-3000:]
    assert "terraform plan -refresh-only in" in text
    assert started and not [p for p in started if alive(p)]  # Terraform, plugin: all gone
    assert not processes_in(slow)
    if not merge:
        assert "b-slow" in text  # the folder the stopped plan ran in
        assert not (root / "c-queued" / ".terraform").exists()  # never started
    report = json.loads((out / "drift.json").read_text())
    assert report["interrupted"] is True and report["exit_code"] == 130
    assert [s["name"] for s in report["stacks"]] == ["a-fast"]
