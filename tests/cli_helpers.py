"""Running the fedstack command line from tests: the console script of this Python, in a
subprocess, as a user runs it. Shared by every test folder (tests/ is on sys.path)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

FEDSTACK = str(Path(sys.executable).with_name("fedstack"))
"""The `fedstack` console script `pip install` put beside the Python running the tests."""


def run_fedstack(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """`fedstack ARGS` to the end (text output captured; `env` replaces the whole environment)."""
    return subprocess.run(
        [FEDSTACK, *args],
        capture_output=True,
        text=True,
        env=dict(env) if env is not None else os.environ.copy(),
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
