"""The README's commands: prerequisites are named in one line, and `fedstack demo` runs for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _path_with_only(tmp_path: Path, *tools: str) -> str:
    """A PATH holding links to just the named tools (plus the basics a shell script needs)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "env", "dirname", "find", *tools):
        # python3 may be a version-manager shim that needs the rest of PATH: link the interpreter.
        found = Path(sys._base_executable).resolve() if tool == "python3" else shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    return str(bin_dir)


@pytest.mark.parametrize(
    ("present", "missing_line"),
    [
        (("node", "terraform"), "fedstack: missing prerequisite: Python >= 3.11"),
        (("python3", "terraform"), "fedstack: missing prerequisite: Node.js"),
        (("python3", "node"), "fedstack: missing prerequisite: OpenTofu or Terraform"),
        (("python3", "node", "terraform"), "fedstack: missing prerequisite: npm"),
    ],
)
def test_missing_prerequisite_is_one_clear_line(tmp_path: Path, present, missing_line) -> None:
    env = {"PATH": _path_with_only(tmp_path, *present), "HOME": str(tmp_path)}
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "check-prereqs")], capture_output=True, text=True, env=env
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(missing_line), done.stderr


def test_all_prerequisites_present_passes() -> None:
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "check-prereqs")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_user_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fedstack.cli", "demo", "--policy", "nowhere"],
        capture_output=True,
        text=True,
        env={**os.environ, "FEDSTACK_HOME": str(tmp_path)},
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("fedstack: error: nowhere: neither a preset (")
    assert "eu-sovereign" in lines[0]
    assert not (tmp_path / "demo").exists()  # nothing was started
    assert "Traceback" not in done.stderr


# `fedstack demo` itself (the README's first command) is tested end to end in tests/demo/.
