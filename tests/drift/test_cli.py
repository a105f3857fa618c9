"""`fedstack drift` as a user meets it before any Terraform runs: help, and one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import FEDSTACK


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FEDSTACK, "drift", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def test_help_shows_exit_codes_and_a_real_example(tmp_path: Path) -> None:
    done = run("--help", cwd=tmp_path)
    assert done.returncode == 0
    assert "fedstack drift stacks/ --format md,junit,sarif" in done.stdout
    assert "2 drift found" in done.stdout


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (
            ["--ignore", "ignore.yaml"],
            {"ignore.yaml": "- address: x\n"},
            "ignore.yaml: rule 1: reason: Field required",
        ),
        (["--format", "md,pdf"], {}, "unknown report format pdf"),
        (["empty"], {"empty/notes.txt": ""}, "no stacks found in empty"),
        (["missing"], {}, "missing: no such file or folder"),
    ],
)
def test_user_mistakes_are_one_line_on_stderr_and_exit_1(
    tmp_path: Path, args: list[str], files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    done = run(*args, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"fedstack: error: {done.stderr.split('error: ', 1)[1].strip()}"
    ]
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "drift-report").exists()  # nothing written


def test_the_drift_engine_imports_no_web_framework_or_cdktf() -> None:
    code = (
        "import sys, fedstack.drift, fedstack.cli\n"
        "heavy = {'cdktf', 'cdktn', 'jsii', 'constructs', 'starlette', 'fastapi', 'uvicorn', 'flask', 'aiohttp'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
