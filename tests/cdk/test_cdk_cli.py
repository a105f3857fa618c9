"""`fedstack synth` and `fedstack plan-placement` on the example app, and `cdktf synth` beside it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "federated-webapp"
CDKTF_CLI = REPO / "node_modules" / ".bin" / "cdktf"


def _fedstack(
    *args: str, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "fedstack"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def _copy_example(tmp_path: Path) -> Path:
    app = tmp_path / "app"
    app.mkdir(parents=True)
    for name in ("main.py", "cdktf.json"):
        shutil.copy(EXAMPLE / name, app / name)
    return app


def test_plan_placement_explains_every_refused_candidate(cli_env, tmp_path) -> None:
    done = _fedstack("plan-placement", str(_copy_example(tmp_path)), "--json", env=cli_env)
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    decisions = {d["component"]: d for d in plan["workloads"][0]["decisions"]}
    assert {c: (d["provider"], d["region"]) for c, d in decisions.items()} == {
        "assets": ("sandbox-fr", "fr-par"),
        "net": ("sandbox-de", "de-fra"),
        "server": ("sandbox-de", "de-fra"),
        "www": ("sandbox-nl", "nl-ams"),
        "assets-txt": ("sandbox-nl", "nl-ams"),
    }
    for decision in decisions.values():
        for candidate in decision["candidates"]:
            chosen = (candidate["provider"], candidate["region"]) == (
                decision["provider"],
                decision["region"],
            )
            assert chosen or candidate["reasons"] or decision["why"], candidate
    www = {(c["provider"], c["region"]): c["reasons"] for c in decisions["www"]["candidates"]}
    assert [r["rule"] for r in www["sandbox-nl", "uk-lon"]] == ["data-location-eu"]
    assert "not-with" in [r["rule"] for r in www["sandbox-de", "de-fra"]]


def test_plan_placement_table_names_each_refusal(cli_env, tmp_path) -> None:
    cli_env["COLUMNS"] = "250"
    done = _fedstack("plan-placement", str(_copy_example(tmp_path)), env=cli_env)
    assert done.returncode == 0, done.stderr
    assert (
        "webapp/assets (object_storage): sandbox-fr/fr-par - preferred provider sandbox-fr"
        in done.stdout
    )
    assert (
        "policy data-location-eu: fail: sandbox-de/ch-zrh is in CH, outside the EEA" in done.stdout
    )
    assert "requirement not-with: 'assets' is already on sandbox-fr" in done.stdout


def test_unsatisfiable_policy_is_one_clear_line_from_the_cli(cli_env, tmp_path) -> None:
    policy = tmp_path / "strict.yaml"
    policy.write_text(
        "name: strict\nrules:\n  - id: data-location-eu\n  - id: gaia-x-label-min\n    level: level-3\n"
    )
    cli_env["FEDSTACK_POLICY"] = str(policy)
    cli_env["COLUMNS"] = "250"
    done = _fedstack("plan-placement", str(_copy_example(tmp_path)), env=cli_env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("fedstack: error: no placement for component 'assets'")
    assert re.search(r"policy gaia-x-label-min refused the last \d+ candidate\(s\)", lines[-1])
    assert "Traceback" not in done.stderr
    # The table still shows why each candidate was refused.
    plain = " ".join(done.stdout.split())
    assert "NO PLACEMENT" in plain
    assert "policy gaia-x-label-min: fail: sandbox-fr has Gaia-X level-2" in plain


def _strip_metadata(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_metadata(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        return [_strip_metadata(v) for v in value]
    return value


def _stacks(outdir: Path) -> dict[str, Any]:
    manifest = json.loads((outdir / "manifest.json").read_text())
    return {
        name: _strip_metadata(json.loads((outdir / entry["synthesizedStackPath"]).read_text()))
        for name, entry in manifest["stacks"].items()
    }


def test_cdktf_cli_synth_and_plain_python_write_the_same_stacks_as_fedstack_synth(
    cli_env, tmp_path, sandbox
) -> None:
    if not CDKTF_CLI.exists():
        pytest.fail(f"{CDKTF_CLI} is missing: run `make node_modules` (npm ci installs cdktf-cli)")
    app = _copy_example(tmp_path)
    plain = _copy_example(tmp_path / "plain")
    done = subprocess.run(
        [sys.executable, "main.py"],
        cwd=plain,
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # Plain `python main.py` says what it wrote (on stderr, keeping stdout the app's own).
    assert f"fedstack: wrote 3 stack(s) to {(plain / 'cdktf.out').resolve()}" in done.stderr
    assert "stacks/webapp-sandbox-fr-fr-par  (sandbox-fr fr-par)" in done.stderr
    assert "wrote" not in done.stdout
    ours = _fedstack(
        "synth", str(app), "--out", str(tmp_path / "fedstack.out"), "--json", env=cli_env
    )
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run(
        [str(CDKTF_CLI), "synth"],
        cwd=app,
        env={**cli_env, "CI": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert theirs.returncode == 0, theirs.stdout + theirs.stderr
    ours_stacks = _stacks(tmp_path / "fedstack.out")
    assert ours_stacks == _stacks(app / "cdktf.out")
    assert ours_stacks == _stacks(plain / "cdktf.out")
    assert len(ours_stacks) == 3
    for name in ours_stacks:
        meta = json.loads((app / "cdktf.out" / "stacks" / name / "fedstack.json").read_text())
        assert meta["stack"] == name
    listed = json.loads(ours.stdout)["stacks"]
    assert {s["stack"]: s["provider"] for s in listed} == {
        "webapp-sandbox-fr-fr-par": "sandbox-fr",
        "webapp-sandbox-de-de-fra": "sandbox-de",
        "webapp-sandbox-nl-nl-ams": "sandbox-nl",
    }


def test_synth_of_a_missing_app_is_one_clear_line(cli_env, tmp_path) -> None:
    done = _fedstack("synth", str(tmp_path), env=cli_env)
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == f"fedstack: error: {tmp_path}: no federated app here (give a Python file or a folder with main.py)"
    )


def test_synth_onto_a_sandbox_that_is_not_running_says_to_start_it(cli_env, tmp_path) -> None:
    home = tmp_path / "empty-home"  # no sandbox state: `fedstack sandbox up` never ran here
    done = _fedstack(
        "synth", str(_copy_example(tmp_path)), env={**cli_env, "FEDSTACK_HOME": str(home)}
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"fedstack: error: sandbox-fr is not running (no sandbox under FEDSTACK_HOME={home}): "
        "run `fedstack sandbox up` first"
    )
    assert "Traceback" not in done.stderr and "KeyError" not in done.stderr
