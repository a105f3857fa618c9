"""Pressing Ctrl-C at a fedstack command in a real terminal (a pty), and the processes it leaves.

Shared by the interrupt tests of `deploy`/`destroy` (tests/stacks) and `drift` (tests/drift).
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import termios
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cli_helpers import FEDSTACK

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass(frozen=True)
class Pressed:
    """What a Ctrl-C did: exit code, seconds from the key to the exit, the screen, and the pids
    below the command when the key was pressed."""

    code: int
    took: float
    screen: str
    started: list[int]


def processes_in(folder: Path) -> list[int]:
    """Pids of processes whose working directory is `folder` (Terraform, its plugins, a `sleep`)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if Path(os.readlink(entry / "cwd")) == folder:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def descendants(root: int) -> list[int]:
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


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def ctrl_c_in_a_terminal(
    args: list[str],
    ready: Callable[[int, str], bool],
    env: Mapping[str, str],
    settle: float = 0.0,
) -> Pressed:
    """Run `fedstack ARGS` on a pty; once `ready(pid, screen)` holds (bounded: 180 s), wait
    `settle` seconds, then press Ctrl-C and wait (bounded: 60 s) for the exit."""
    master, slave = os.openpty()

    def controlling_terminal() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # the pty is this session's terminal, as in a shell
        # As an interactive shell starts a foreground job: Ctrl-C's signal at its default. A test
        # run started in the background by a script (`cmd &`) inherits SIGINT ignored, and the
        # command would then rightly ignore the key.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGQUIT, signal.SIG_DFL)

    proc = subprocess.Popen(
        [FEDSTACK, *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=dict(env),
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

    def text() -> str:
        return ANSI.sub("", screen.decode(errors="replace"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 180
        while not ready(proc.pid, text()):
            assert proc.poll() is None, text()[-3000:]
            assert time.monotonic() < deadline, text()[-3000:]
            time.sleep(0.2)
        time.sleep(settle)
        started = descendants(proc.pid)
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
    return Pressed(code, took, text(), started)
