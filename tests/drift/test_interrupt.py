"""Ctrl-C in `fedstack drift`, pressed in a real terminal (a pty), with real Terraform running.

Three stacks, one at a time: `a-fast` finishes, `b-slow` hangs in its plan (its aws provider
talks to a loopback socket that accepts and never answers), `c-queued` waits its turn. Ctrl-C
must stop b-slow's Terraform (which runs in its own session, out of the terminal's reach), never
start c-queued, say what it waits for, and write the report of a-fast. Merged (the default),
b-slow and c-queued share one plan in a temporary root, which Ctrl-C stops the same way.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fedstack.sandbox import SANDBOX_CREDENTIALS

FEDSTACK = str(Path(sys.executable).with_name("fedstack"))


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


def _terraform_in(folder: Path) -> list[int]:
    """Pids of processes whose working directory is `folder` (Terraform and its plugins)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(os.readlink(entry / "cwd")) == folder:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _descendants(root: int) -> list[int]:
    """Pids of every live process below `root` (Terraform runs in its own session, not group)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        children = parents.get(todo.pop(), [])
        found.extend(children)
        todo.extend(children)
    return found


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _alive(pid: int) -> bool:
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def _planning(root: int) -> bool:
    for pid in _descendants(root):
        try:
            if b"-refresh-only" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def _wait_for(condition, deadline: float, what: str) -> None:  # type: ignore[no-untyped-def]
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.parametrize("merge", [False, True], ids=["per-stack", "merged"])
def test_ctrl_c_stops_terraform_cancels_queued_stacks_and_writes_the_partial_report(
    tmp_path: Path, black_hole: str, merge: bool
) -> None:
    root = tmp_path / "stacks"
    _stacks(root, black_hole)
    out = tmp_path / "report"
    master, slave = os.openpty()

    def controlling_terminal() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # the pty is this session's terminal, as in a shell

    proc = subprocess.Popen(
        # --no-merge: the per-stack pool (queued stacks, one Terraform per stack folder); the
        # merged run stops through the same runner.
        # Merged: two workers, the merged plan and a-fast alone beside it.
        [FEDSTACK, "drift", str(root), *(["--parallel", "2"] if merge else ["--no-merge"])]
        + ([] if merge else ["--parallel", "1"])
        + ["--out", str(out), "--format", "json"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, **SANDBOX_CREDENTIALS, "COLUMNS": "200"},
        start_new_session=True,
        preexec_fn=controlling_terminal,
    )
    os.close(slave)
    screen = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            screen.extend(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    slow = (root / "b-slow").resolve()
    try:
        deadline = time.monotonic() + 180
        # Per stack, b-slow's plan runs in its folder; merged, b-slow and c-queued share one
        # plan in a temporary root.
        fast = (root / "a-fast").resolve()
        # a-fast is done when its progress line says so: between its init and its plan no
        # Terraform runs in its folder either, and a busy machine can hold that gap open.
        _wait_for(
            lambda: (
                _planning(proc.pid)
                and "a-fast: in sync" in _ANSI.sub("", screen.decode(errors="replace"))
                and not _terraform_in(fast)
            ),
            deadline,
            "a-fast checked and b-slow's refresh-only plan running",
        )
        time.sleep(1.0)  # let the plan reach the provider call that hangs
        started = _descendants(proc.pid)  # Terraform and its provider plugin
        os.write(master, b"\x03")  # Ctrl-C, through the terminal's line discipline
        pressed = time.monotonic()
        code = proc.wait(timeout=60)
        took = time.monotonic() - pressed
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)
    os.close(master)
    text = screen.decode(errors="replace")
    assert code == 130, text[-3000:]
    assert took < 30, took  # SIGINT, then SIGKILL after the 10 s grace period at the latest
    assert "interrupted: stopping 1 Terraform process(es)" in text, text[-3000:]
    assert "terraform plan -refresh-only in" in text
    assert started and not [p for p in started if _alive(p)]  # Terraform, plugin: all gone
    assert not _terraform_in(slow)
    if not merge:
        assert "b-slow" in text  # the folder the stopped plan ran in
        assert not (root / "c-queued" / ".terraform").exists()  # never started
    report = json.loads((out / "drift.json").read_text())
    assert report["interrupted"] is True and report["exit_code"] == 130
    assert [s["name"] for s in report["stacks"]] == ["a-fast"]
