"""Exit codes mean one thing each: usage errors are 64, never the 2 that means drift or a failed rule.

Runs the installed console script in a subprocess, as a user or a CI step would.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_helpers import FEDSTACK


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FEDSTACK, *args], capture_output=True, text=True, timeout=60, check=False, cwd=cwd
    )


@pytest.mark.parametrize(
    "args",
    [
        ("drift", "--no-such-flag"),
        ("drift", "--parallel", "0"),
        ("drift", "--fail-on", "sometimes"),
        ("no-such-command",),
        ("drift", "--bridge", "http://127.0.0.1:8700/v1/states"),
        ("inventory", "--bridge", "ftp://bridge"),
    ],
)
def test_usage_errors_exit_64_with_one_message(args: tuple[str, ...], tmp_path: Path) -> None:
    done = _run(*args, cwd=tmp_path)
    assert done.returncode == 64, done.stderr
    assert "Traceback" not in done.stderr and "Error:" in done.stderr


def test_a_bridge_url_with_a_path_is_refused_by_name() -> None:
    done = _run("drift", "--bridge", "http://127.0.0.1:8700/dashboard")
    assert done.returncode == 64
    assert "has a path; give the bridge's base address only, such as http://127.0.0.1:8700" in (
        done.stderr
    )


def test_help_documents_the_exit_codes() -> None:
    done = _run("--help")
    assert done.returncode == 0
    for line in (
        "0    ok",
        "1    an error",
        "2    drift found",
        "64   usage error",
        "130  interrupted",
    ):
        assert line in done.stdout


def test_an_error_exits_1(tmp_path: Path) -> None:
    done = _run("drift", str(tmp_path / "missing"))
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "no such file or folder" in done.stderr


def _commands():  # type: ignore[no-untyped-def]
    import click

    from fedstack.cli import cli

    def walk(command, path):  # type: ignore[no-untyped-def]
        yield path, command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])

    return [" ".join(p) for p, _ in walk(cli, []) if p]


@pytest.mark.parametrize("command", _commands())
def test_every_help_has_a_runnable_example(command: str) -> None:
    from click.testing import CliRunner

    from fedstack.cli import cli

    done = CliRunner().invoke(cli, [*command.split(), "--help"])  # in process: 30 commands
    assert done.exit_code == 0
    examples = done.output.split("Example", 1)
    assert len(examples) == 2, f"`fedstack {command} --help` has no example"
    assert f"fedstack {command.split()[0]}" in examples[1]
