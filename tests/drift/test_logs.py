"""`fedstack drift` in a CI log (stdout and stderr are pipes, no terminal), with real Terraform.

Whole identifiers in Markdown rows, no colour codes, one progress line per stack event with its
own duration, Terraform's file:line kept in errors, and the summary's `exit N` equal to the
process's exit code. A failed init that needs a registry says how to use a provider mirror.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from cli_helpers import FEDSTACK

LONG = "storage-" + "very-long-stack-name-" * 5 + "end"


def test_a_ci_log_shows_whole_names_event_lines_and_file_line(tmp_path: Path) -> None:
    root = tmp_path / "stacks"
    (root / LONG).mkdir(parents=True)
    (root / LONG / "main.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    (root / "broken").mkdir()
    (root / "broken" / "main.tf").write_text(
        'terraform {\n  backend "local" {}\n}\n\noutput "x" {\n  value = aws_s3_bucket.nope.id\n}\n'
    )
    done = subprocess.run(
        [FEDSTACK, "drift", str(root), "--out", str(tmp_path / "r"), "--parallel", "1"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "\x1b[" not in done.stdout + done.stderr  # no colour off a terminal
    row = next(line for line in done.stdout.splitlines() if LONG in line)
    assert row.startswith(f"| {LONG} ") and row.rstrip().endswith("|")  # a Markdown row, whole
    broken = next(line for line in done.stdout.splitlines() if line.startswith("| broken "))
    assert "main.tf:6: Reference to undeclared resource" in broken
    assert re.search(r"exit (\d+)$", done.stdout.strip()).group(1) == str(done.returncode)  # type: ignore[union-attr]
    events = done.stderr.splitlines()
    assert re.search(rf"^{LONG}: init \(\+\d+\.\d s\)$", "\n".join(events), re.M)
    assert re.search(rf"^{LONG}: in sync \(\d+\.\d s in all\)$", "\n".join(events), re.M)
    assert re.search(r"^broken: failed \(\d+\.\d s in all\)$", "\n".join(events), re.M)


def test_init_without_a_registry_says_how_to_use_a_provider_mirror(tmp_path: Path) -> None:
    stack = tmp_path / "needs-provider"
    stack.mkdir()
    (stack / "main.tf").write_text(
        'terraform {\n  required_providers {\n    nothere = {\n      source = "example/nothere"\n'
        '    }\n  }\n}\n\nprovider "nothere" {}\n'
    )
    done = subprocess.run(
        [FEDSTACK, "drift", str(stack), "--out", str(tmp_path / "r"), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert "set FEDSTACK_PROVIDER_MIRROR to a Terraform filesystem mirror" in done.stdout
