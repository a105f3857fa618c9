"""The composite GitHub Action (action.yml at the repository root), its shell steps run locally.

As in test_ci_templates.py: `uses:` steps (hashicorp/setup-terraform, the SARIF upload, the
JUnit check) need GitHub's runner and API and are skipped by name, the files they would upload
are checked instead; `Install fedstack` is skipped (fedstack is installed in this venv, there is
no package index here). The drift step runs for real over a folder of two stacks.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from test_ci_templates import _base_env, _github_expressions, _outputs, _run_github_step

REPO = Path(__file__).resolve().parents[2]
SKIPPED = {
    "Set up Terraform": "hashicorp/setup-terraform@v3",
    "Upload SARIF (code scanning)": "github/codeql-action/upload-sarif@v3",
    "Publish JUnit report": "mikepenz/action-junit-report@v4",
}


def test_the_action_checks_a_folder_of_stacks_writes_reports_and_gates(tmp_path: Path) -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert {s["name"]: s["uses"] for s in steps if "uses" in s} == SKIPPED
    sarif = next(s for s in steps if s["name"] == "Upload SARIF (code scanning)")
    assert "visibility == 'public'" in sarif["if"]  # only where code scanning is available
    checkout = tmp_path / "repo"
    for name in ("web", "db"):
        (checkout / "stacks" / name).mkdir(parents=True)
        (checkout / "stacks" / name / "main.tf").write_text(
            'terraform {\n  backend "local" {}\n}\n'
        )
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    values = {f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()}
    values["inputs.stacks"] = "stacks"
    env = {**_base_env(), "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    for step in steps:
        if "run" not in step or step["name"] == "Install fedstack":
            continue
        values["steps.drift.outputs.exit_code"] = _outputs(output).get("exit_code", "")
        step_env = {k: _github_expressions(str(v), values) for k, v in step.get("env", {}).items()}
        done = _run_github_step(
            _github_expressions(step["run"], values), {**env, **step_env}, checkout, tmp_path
        )
        assert done.returncode == 0, done.stderr[-2000:]
    assert _outputs(output)["exit_code"] == "0"
    reports = checkout / values["inputs.out"]
    assert json.loads((reports / "drift.sarif").read_text())["version"] == "2.1.0"
    assert (reports / "drift.junit.xml").is_file()
    assert "web" in summary.read_text() and "db" in summary.read_text()
    gate = next(s for s in steps if s["name"] == "Gate on the exit code")
    failed = _github_expressions(gate["run"], {"steps.drift.outputs.exit_code": "2"})
    assert _run_github_step(failed, _base_env(), tmp_path, tmp_path).returncode == 1
