"""The CI templates run locally: their YAML parsed, their `run:`/`script:` steps executed against
the sandbox and a real bridge, with the environment the workflow sets (secrets replaced by a
bridge token made for the test, variables by the test bridge's URL and the sandbox endpoint).

Steps that cannot run here are skipped by name, and the tests assert the exact list, so a new
step is never skipped silently: GitHub's `uses:` actions (actions/checkout,
actions/setup-python, hashicorp/setup-terraform, github/codeql-action/upload-sarif,
mikepenz/action-junit-report, actions/upload-artifact: they need GitHub's runner and API;
the files they would upload are checked instead), and the install lines (`apk add`, `pip
install .`: fedstack and Terraform are already installed here; there is no package index).
GitLab's merge request notes API cannot run here: a stand-in on loopback records the comment
the policy job posts (method, path, token header, body) instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

from http_helpers import loopback_server
from pathlib import Path

import httpx
import pytest
import yaml

from fedstack.sandbox import SANDBOX_CREDENTIALS

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / "examples" / "ci" / "github-actions" / "drift.yml"
GITLAB = REPO / "examples" / "ci" / "gitlab-ci" / ".gitlab-ci.yml"

SKIPPED_ACTIONS = {
    "Check out": "actions/checkout@v4",
    "Set up Python": "actions/setup-python@v5",
    "Set up Terraform": "hashicorp/setup-terraform@v3",
    "Upload SARIF (code scanning)": "github/codeql-action/upload-sarif@v3",
    "Publish JUnit report": "mikepenz/action-junit-report@v4",
    "Keep the reports": "actions/upload-artifact@v4",
}
SKIPPED_RUN_STEPS = {"Install fedstack"}
SKIPPED_GITLAB_LINES = {
    "apk add --no-cache python3 py3-pip curl",
    "pip install --quiet --break-system-packages .",
}


def _base_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for key in (
        "FEDSTACK_BRIDGE_URL",
        "FEDSTACK_BRIDGE_TOKEN",
        "TF_HTTP_PASSWORD",
        "GITHUB_STEP_SUMMARY",
    ):
        env.pop(key, None)
    return env


def _github_expressions(text: str, values: dict[str, str]) -> str:
    """Replace `${{ name }}` with its value; an expression the test does not know fails it."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        assert name in values, f"the workflow uses ${{{{ {name} }}}}, unknown to the test"
        return values[name]

    return re.sub(r"\$\{\{(.+?)\}\}", value, text)


def _run_github_step(
    script: str, env: dict[str, str], cwd: Path, tmp: Path
) -> subprocess.CompletedProcess[str]:
    """As GitHub's runner does: the script in a file, `bash --noprofile --norc -eo pipefail`."""
    file = tmp / "step.sh"
    file.write_text(script)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(file)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _outputs(file: Path) -> dict[str, str]:
    lines = file.read_text().splitlines() if file.exists() else []
    return dict(line.split("=", 1) for line in lines if "=" in line)


def _github_values(bridge, plain_stack) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What the workflows' `${{ vars.* }}` and `${{ secrets.* }}` stand for here."""
    return {
        "vars.FEDSTACK_BRIDGE_URL": bridge.url,
        "secrets.FEDSTACK_BRIDGE_TOKEN": bridge.drift_token,
        "secrets.AWS_ACCESS_KEY_ID": SANDBOX_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "secrets.AWS_SECRET_ACCESS_KEY": SANDBOX_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "vars.S3_ENDPOINT": plain_stack.endpoint,
    }


def _junit_failures(path: Path) -> int:
    root = ET.parse(path).getroot()
    return sum(1 for _ in root.iter("failure"))


def test_github_workflow_reports_drift_in_summary_sarif_junit_and_bridge_then_gate_fails(
    plain_stack, bridge, retagged, tmp_path: Path
) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as True
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    assert workflow["permissions"]["security-events"] == "write"
    job = workflow["jobs"]["drift"]
    steps = job["steps"]
    assert {s["name"]: s["uses"] for s in steps if "uses" in s} == SKIPPED_ACTIONS
    assert {s["name"] for s in steps if "run" in s} - {
        "Check drift",
        "Gate on the exit code",
    } == SKIPPED_RUN_STEPS
    sarif_step = next(s for s in steps if s["name"] == "Upload SARIF (code scanning)")
    junit_step = next(s for s in steps if s["name"] == "Publish JUnit report")

    summary, output = tmp_path / "summary.md", tmp_path / "output"
    values = _github_values(bridge, plain_stack)
    env = {**_base_env(), "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    env.update({k: _github_expressions(str(v), values) for k, v in job["env"].items()})
    results: dict[str, subprocess.CompletedProcess[str]] = {}
    for step in steps:
        if "run" not in step or step["name"] in SKIPPED_RUN_STEPS:
            continue
        if step.get("id") == "drift" or "steps.drift.outputs.exit_code" in step["run"]:
            values["steps.drift.outputs.exit_code"] = _outputs(output).get("exit_code", "")
        script = _github_expressions(step["run"], values)
        results[step["name"]] = done = _run_github_step(
            script, {**env, **step.get("env", {})}, plain_stack.checkout, tmp_path
        )
        if done.returncode != 0:
            break  # as on GitHub: later steps without `if: always()` do not run

    assert results["Check drift"].returncode == 0, results["Check drift"].stderr[-2000:]
    assert _outputs(output)["exit_code"] == "2"
    assert "tags.team" in summary.read_text() and "marketing" in summary.read_text()
    reports = plain_stack.checkout / "drift-report"
    sarif = json.loads((reports / Path(sarif_step["with"]["sarif_file"]).name).read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert _junit_failures(plain_stack.checkout / junit_step["with"]["report_paths"]) >= 1
    assert "TF_HTTP_ADDRESS" not in job["env"]  # each stack's own config names its state
    runs = httpx.get(
        f"{bridge.url}/v1/drift-runs?project=plain&stack=assets",
        headers={"Authorization": f"Bearer {bridge.drift_token}"},
        timeout=10,
    )
    assert runs.status_code == 200 and runs.json()["total"] >= 1
    gate = results["Gate on the exit code"]
    assert gate.returncode == 1 and "::error::drift found" in gate.stdout
    assert bridge.drift_token not in results["Check drift"].stdout + results["Check drift"].stderr


def test_github_gate_passes_only_when_in_sync(tmp_path: Path) -> None:
    gate = next(
        s
        for s in yaml.safe_load(WORKFLOW.read_text())["jobs"]["drift"]["steps"]
        if s["name"] == "Gate on the exit code"
    )
    for code, expected in (("0", 0), ("2", 1), ("1", 1)):
        script = _github_expressions(gate["run"], {"steps.drift.outputs.exit_code": code})
        assert _run_github_step(script, _base_env(), tmp_path, tmp_path).returncode == expected, (
            code
        )


def _gitlab_expand(text: str, env: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        assert name in env, f"the job uses ${name}, unknown to the test"
        return env[name]

    return re.sub(r"\$(?:\{(\w+)\}|(\w+))", value, text)


def _gitlab_job(pipeline: dict, name: str) -> dict:  # type: ignore[type-arg]
    """The job with its `extends:` template merged in (variables merged, other keys replaced)."""
    job = dict(pipeline[name])
    base = pipeline[job.pop("extends")] if "extends" in job else {}
    return {**base, **job, "variables": {**base.get("variables", {}), **job.get("variables", {})}}


def _run_gitlab_job(
    job: dict,
    env: dict[str, str],
    cwd: Path,  # type: ignore[type-arg]
) -> subprocess.CompletedProcess[str]:
    """The job's variables, then its script lines as GitLab runs them, up to the first failure."""
    env = dict(env)
    for name, raw in job["variables"].items():
        env[name] = _gitlab_expand(str(raw), env)
    assert job["image"]["name"].startswith("hashicorp/terraform:")  # an image with Terraform
    assert {line for line in job["before_script"] if line in SKIPPED_GITLAB_LINES} == (
        SKIPPED_GITLAB_LINES
    )
    lines = [
        line for line in job["before_script"] + job["script"] if line not in SKIPPED_GITLAB_LINES
    ]
    for line in lines:  # GitLab stops the job at the first failing line
        done = subprocess.run(
            ["bash", "-c", line],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode:
            break
    return done


def _ci_variables(bridge, plain_stack) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """CI/CD variables set in the project's settings: here the test bridge and the sandbox."""
    return {
        **_base_env(),
        "FEDSTACK_BRIDGE_URL": bridge.url,
        "FEDSTACK_BRIDGE_TOKEN": bridge.drift_token,
        "S3_ENDPOINT": plain_stack.endpoint,
        **SANDBOX_CREDENTIALS,
    }


def test_gitlab_job_writes_junit_artifact_and_drift_is_an_allowed_failure(
    plain_stack, bridge, retagged, tmp_path: Path
) -> None:
    pipeline = yaml.safe_load(GITLAB.read_text())
    job = _gitlab_job(pipeline, "drift")
    assert job["stage"] in pipeline["stages"]
    assert {r["if"] for r in job["rules"]} == {
        '$CI_PIPELINE_SOURCE == "schedule"',
        '$CI_PIPELINE_SOURCE == "web"',
    }
    done = _run_gitlab_job(job, _ci_variables(bridge, plain_stack), plain_stack.checkout)
    code = done.returncode
    assert code == 2, done.stderr[-2000:]
    assert code in job["allow_failure"]["exit_codes"]
    junit = plain_stack.checkout / job["artifacts"]["reports"]["junit"]
    assert job["artifacts"]["when"] == "always" and _junit_failures(junit) >= 1
    for path in job["artifacts"]["paths"]:
        assert (plain_stack.checkout / path).is_dir()
    assert "TF_HTTP_ADDRESS" not in job["variables"]  # each stack's own config names its state
    state = httpx.get(
        f"{bridge.url}/v1/states/plain/assets", auth=("ci", bridge.drift_token), timeout=10
    )
    assert state.status_code == 200  # the drift token reads the state the job checked
    runs = httpx.get(
        f"{bridge.url}/v1/drift-runs?project=plain&stack=assets",
        headers={"Authorization": f"Bearer {bridge.drift_token}"},
        timeout=10,
    ).json()
    assert runs["total"] >= 1  # filed under the stack the bridge holds the state of


def _mirror_cli_config(tmp: Path) -> Path:
    file = tmp / "mirror.tfrc"
    mirror = os.environ["FEDSTACK_PROVIDER_MIRROR"]
    file.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n  }}\n}}\n'
    )
    return file


@pytest.fixture
def gitlab_notes() -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A stand-in for GitLab's merge request notes API on loopback: (API URL, posted notes)."""
    posted: list[dict[str, str]] = []

    class Notes(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server hook name
            length = int(self.headers.get("Content-Length", "0"))
            form = urllib.parse.parse_qs(self.rfile.read(min(length, 1_000_000)).decode())
            posted.append(
                {
                    "path": self.path,
                    "token": self.headers.get("PRIVATE-TOKEN", ""),
                    "body": form.get("body", [""])[0],
                }
            )
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"id": 1}')

        def log_message(self, *_: object) -> None:
            pass

    with loopback_server(Notes) as url:
        yield f"{url}/api/v4", posted


def test_gitlab_merge_request_job_checks_each_plan_and_comments_the_markdown_report(
    plain_stack, bridge, gitlab_notes, tmp_path: Path
) -> None:
    api, posted = gitlab_notes
    pipeline = yaml.safe_load(GITLAB.read_text())
    job = _gitlab_job(pipeline, "policy")
    assert job["stage"] in pipeline["stages"]
    assert [r["if"] for r in job["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    env = {
        **_ci_variables(bridge, plain_stack),
        "GITLAB_API_TOKEN": "test-gitlab-token",
        # Predefined by GitLab in a merge request pipeline.
        "CI_API_V4_URL": api,
        "CI_PROJECT_ID": "42",
        "CI_MERGE_REQUEST_IID": "7",
        # No registry here: plain `terraform init` installs providers from the local mirror.
        "TF_CLI_CONFIG_FILE": str(_mirror_cli_config(tmp_path)),
    }
    shutil.rmtree(plain_stack.checkout / "policy-report", ignore_errors=True)
    done = _run_gitlab_job(job, env, plain_stack.checkout)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (note,) = posted
    assert note["path"] == "/api/v4/projects/42/merge_requests/7/notes"
    assert note["token"] == "test-gitlab-token"
    assert "### plain-terraform" in note["body"] and "aws_s3_bucket" in note["body"]
    report = json.loads(
        (plain_stack.checkout / "policy-report" / "plain-terraform" / "policy.json").read_text()
    )
    assert report["resources"], report  # the plan's resources were checked, not an empty plan
    plan = json.loads(
        (plain_stack.checkout / "policy-report" / "plain-terraform.plan.json").read_text()
    )
    prior = plan["prior_state"]["values"]["root_module"]
    assert prior, "the plan read no state: the bridge address did not reach terraform init"
    assert bridge.drift_token not in done.stdout + done.stderr + note["body"]


def test_github_pull_request_workflow_checks_each_plan_and_writes_the_comment(
    plain_stack, bridge, tmp_path: Path
) -> None:
    workflow = yaml.safe_load((WORKFLOW.parent / "policy-pr.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as True
    assert "pull_request" in triggers and workflow["permissions"]["pull-requests"] == "write"
    job = workflow["jobs"]["policy"]
    steps = job["steps"]
    skipped = {k: v for k, v in SKIPPED_ACTIONS.items() if k in {s["name"] for s in steps}}
    assert {s["name"]: s["uses"] for s in steps if "uses" in s} == skipped
    # `gh pr comment` needs GitHub's API: the comment file it would post is checked instead.
    comment_step = "Comment on the pull request"
    runs = {s["name"] for s in steps if "run" in s}
    assert runs == SKIPPED_RUN_STEPS | {"Check each plan", comment_step, "Gate on the exit code"}
    output = tmp_path / "output"
    values = _github_values(bridge, plain_stack)
    env = {
        **_base_env(),
        "GITHUB_OUTPUT": str(output),
        # No registry here: plain `terraform init` installs providers from the local mirror.
        "TF_CLI_CONFIG_FILE": str(_mirror_cli_config(tmp_path)),
    }
    env.update({k: _github_expressions(str(v), values) for k, v in job["env"].items()})
    check = next(s for s in steps if s["name"] == "Check each plan")
    shutil.rmtree(plain_stack.checkout / "policy-report", ignore_errors=True)
    done = _run_github_step(check["run"], env, plain_stack.checkout, tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert _outputs(output)["exit_code"] == "0", done.stderr[-2000:]
    comment = (plain_stack.checkout / "policy-report" / "comment.md").read_text()
    assert "### plain-terraform" in comment and "aws_s3_bucket" in comment
    assert bridge.drift_token not in done.stdout + done.stderr + comment
    gate = next(s for s in steps if s["name"] == "Gate on the exit code")
    for code, expected in (("0", 0), ("2", 1), ("1", 1)):
        script = _github_expressions(gate["run"], {"steps.policy.outputs.exit_code": code})
        assert _run_github_step(script, _base_env(), tmp_path, tmp_path).returncode == expected
