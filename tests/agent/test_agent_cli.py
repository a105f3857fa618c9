"""`fedstack agent` refusals that need no Terraform: one line on stderr and the exit code.

The Fulcrum URL points at the Fulcrum-protocol server of fulcrum_server.py (Fulcrum core cannot
run here); these refusals happen before the agent would talk to it.
"""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_fedstack
from fulcrum_server import serve_fulcrum


def _run(tmp_path: Path, *extra: str, token: str = "secret-token") -> tuple[int, str, list[str]]:
    token_file = tmp_path / "agent.token"
    token_file.write_text(token)
    with serve_fulcrum() as server:
        done = run_fedstack(
            "agent", "run",
            "--fulcrum", server.url,
            "--token-file", str(token_file),
            "--bridge", "http://127.0.0.1:9",
            "--work-dir", str(tmp_path / "work"),
            *extra,
        )  # fmt: skip
        paths = [c.path for c in server.calls]
    return done.returncode, done.stderr, paths


def test_an_agent_whose_own_placement_breaks_its_policy_does_not_start(tmp_path: Path) -> None:
    code, stderr, calls = _run(tmp_path, "--provider", "sandbox-fr", "--region", "ca-bhs")
    assert code == 2
    assert stderr.strip().count("\n") == 0
    assert "policy eu-sovereign refuses this agent's placement sandbox-fr/ca-bhs" in stderr
    assert "data-location-eu" in stderr
    assert calls == []


def test_an_unknown_region_and_an_empty_token_are_one_line_errors(tmp_path: Path) -> None:
    code, stderr, _ = _run(tmp_path, "--provider", "sandbox-fr", "--region", "mars-1")
    assert code == 1 and "'mars-1' is not a region of sandbox-fr" in stderr
    assert stderr.strip().count("\n") == 0
    code, stderr, _ = _run(tmp_path, "--provider", "sandbox-fr", "--region", "fr-par", token=" ")
    assert code == 1 and "agent.token is empty" in stderr


def test_help_shows_a_runnable_example() -> None:
    done = run_fedstack("agent", "run", "--help")
    assert done.returncode == 0
    assert (
        "fedstack agent run --fulcrum http://127.0.0.1:3000 --token-file agent.token" in done.stdout
    )
