"""examples/hcl-placement applied as a user would, against the session's bridge."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from provider_helpers import ProviderBridge, bridge_env, outputs, plan_error

from fedstack.terraform import Terraform

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hcl-placement"


def test_example_places_enforces_and_reads_the_other_stack(
    tmp_path: Path, provider_bridge: ProviderBridge
) -> None:
    folder = tmp_path / "hcl-placement"
    shutil.copytree(EXAMPLE, folder)
    env = {
        **bridge_env(provider_bridge, provider_bridge.tokens.read),
        "TF_VAR_project": provider_bridge.tokens.project,
        "TF_VAR_shared_stack": provider_bridge.producer,
    }
    runner = Terraform(folder, env=env)
    runner.init()
    runner.apply()
    got = outputs(runner)
    placement = got["placement"]
    assert isinstance(placement, dict)
    assert placement["country"] in ("FR", "DE", "NL")
    assert got["policy_outcome"] == "pass"
    assert got["shared_outputs"] == {"bucket": "invoices-eu", "replicas": "3"}
    assert got["refused"]
    runner.destroy()

    stopped = Terraform(folder, env={**env, "TF_VAR_countries": '["US"]'})
    error = plan_error(stopped)
    assert "no placement for component 'object_storage'" in error


def test_readme_hcl_users_root_is_valid(tmp_path: Path) -> None:
    readme = (EXAMPLE.parents[1] / "README.md").read_text()
    section = readme.split("## HCL users", 1)[1]
    hcl = section.split("```hcl\n", 1)[1].split("```", 1)[0]
    (tmp_path / "main.tf").write_text(hcl)
    runner = Terraform(tmp_path)
    runner.init()
    assert '"valid": true' in runner.run("validate", "-json", "-no-color")
