"""examples/federated-webapp's documented switch: one code, two catalog selections.

The sandbox target is applied for real by tests/cdk/test_cdk_e2e.py and by `fedstack demo`
(tests/demo/); the cloud target can only be placed here (no provider accounts), so this test
checks where each target puts the components, through the CLI a user runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fedstack.catalog import load_catalog

FEDSTACK = str(Path(sys.executable).parent / "fedstack")
APP = Path(__file__).resolve().parents[2] / "examples" / "federated-webapp"


def _placement(**env: str) -> dict[str, tuple[str, str]]:
    done = subprocess.run(
        [FEDSTACK, "plan-placement", str(APP), "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    plan = json.loads(done.stdout)
    return {
        d["component"]: (d["provider"], d["region"])
        for w in plan["workloads"]
        for d in w["decisions"]
    }


def test_webapp_target_switches_between_sandbox_and_real_providers() -> None:
    kinds = {name: p.kind for name, p in load_catalog().providers.items()}
    sandbox = _placement(WEBAPP_TARGET="sandbox", FEDSTACK_POLICY="eu-sovereign")
    assert sandbox["assets"] == ("sandbox-fr", "fr-par") and sandbox["www"] == (
        "sandbox-nl",
        "nl-ams",
    )
    cloud = _placement(WEBAPP_TARGET="cloud", FEDSTACK_POLICY="eu-data-residency")
    assert {kinds[provider] for provider, _ in cloud.values()} == {"cloud"}
    assert cloud["assets"][0] == "scaleway" and cloud["net"] == cloud["server"]
    assert len({provider for provider, _ in cloud.values()}) == 3  # spread 3, as on the sandbox


def test_readme_zone_step_creates_the_zone_in_the_sandbox_of_fedstack_home(tmp_path) -> None:
    import boto3

    from fedstack.sandbox import Sandbox

    line = next(
        line
        for line in (APP / "README.md").read_text().splitlines()
        if line.startswith("python -c") and "create_hosted_zone" in line
    )
    home = tmp_path / "home"  # not the default home: the step must follow FEDSTACK_HOME
    box = Sandbox(home)
    servers = box.up()
    try:
        env = {**os.environ, "FEDSTACK_HOME": str(home)}
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
        done = subprocess.run(
            ["bash", "-c", line], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-2000:]
        route53 = boto3.client(
            "route53",
            endpoint_url=servers["sandbox-nl"].endpoint,
            region_name="eu-west-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        zones = [z["Name"] for z in route53.list_hosted_zones()["HostedZones"]]
        assert zones == ["webapp.example.eu."]
    finally:
        box.down()
