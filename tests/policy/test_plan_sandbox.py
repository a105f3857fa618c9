"""`policy check` on a real plan: terraform plans two buckets on the sandbox cloud, one in an
EU region (sandbox-fr fr-par) and one outside the EEA (sandbox-de ch-zrh), and `show -json`
gives the plan JSON the check reads. Provider and region come from the aliased provider
blocks (one region set through a root variable): each endpoint is a sandbox server recorded
in FEDSTACK_HOME's sandbox state file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fedstack.catalog import load_catalog
from fedstack.cli import main
from fedstack.policy import Outcome, PolicyReport
from fedstack.sandbox import SANDBOX_CREDENTIALS, SandboxServer, aws_provider_config
from fedstack.terraform import Terraform

pytestmark = pytest.mark.slow

EU_BUCKET = "module.eu_bucket.aws_s3_bucket.this"
CH_BUCKET = "module.ch_bucket.aws_s3_bucket.this"


@pytest.fixture(scope="module")
def sandbox_plan(
    sandbox: dict[str, SandboxServer], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """One real plan for the module: terraform init, plan -out, show -json."""
    catalog = load_catalog()
    fr, de = catalog.provider("sandbox-fr"), catalog.provider("sandbox-de")
    workdir = tmp_path_factory.mktemp("policy-sandbox-stack")
    config = {
        "terraform": {
            "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}}
        },
        "provider": {
            "aws": [
                aws_provider_config(
                    sandbox["sandbox-fr"].endpoint, fr.region_api_name("fr-par"), alias="fr"
                ),
                # The region through a root variable, as hand-written stacks often do.
                aws_provider_config(sandbox["sandbox-de"].endpoint, "${var.de_region}", alias="de"),
            ]
        },
        "variable": {"de_region": {"type": "string", "default": de.region_api_name("ch-zrh")}},
        "module": {
            "eu_bucket": {
                "source": str(catalog.module_path("sandbox-fr", "object_storage")),
                "name": "policy-eu-bucket",
                "location": "fr-par",
                "versioning": True,
                "providers": {"aws": "aws.fr"},
            },
            "ch_bucket": {
                "source": str(catalog.module_path("sandbox-de", "object_storage")),
                "name": "policy-ch-bucket",
                "location": "ch-zrh",
                "providers": {"aws": "aws.de"},
            },
        },
    }
    (workdir / "main.tf.json").write_text(json.dumps(config, indent=2))
    tf = Terraform(workdir, env=SANDBOX_CREDENTIALS)
    tf.init()
    tf.plan(out=workdir / "plan.bin")
    plan_json = workdir / "plan.json"
    plan_json.write_text(json.dumps(tf.show_json(workdir / "plan.bin")))
    return plan_json


def _check(plan: Path, out: Path, *args: str) -> tuple[int, PolicyReport]:
    with pytest.raises(SystemExit) as exited:
        main(["policy", "check", str(plan), "--format", "json", "--out", str(out), *args])
    report = PolicyReport.model_validate_json((out / "policy.json").read_text())
    return int(exited.value.code or 0), report


def test_bucket_outside_the_eea_fails_and_the_eu_bucket_passes(
    sandbox_plan: Path, tmp_path: Path
) -> None:
    code, report = _check(sandbox_plan, tmp_path, "--policy", "eu-data-residency")
    assert code == 2
    by_address = {r.address: r for r in report.resources}
    assert set(by_address) == {
        EU_BUCKET,
        CH_BUCKET,
        "module.eu_bucket.aws_s3_bucket_versioning.this[0]",
    }
    ch = by_address[CH_BUCKET]
    assert (ch.provider, ch.region, ch.country, ch.outcome) == (
        "sandbox-de",
        "ch-zrh",
        "CH",
        Outcome.FAIL,
    )
    failing = [f for f in ch.findings if f.outcome is Outcome.FAIL]
    assert [f.rule_id for f in failing] == ["data-location-eu"]
    assert "sandbox-de/ch-zrh is in CH, outside the EEA" in failing[0].message
    assert "sandbox endpoint http://127.0.0.1:" in ch.resolution
    assert "region='eu-central-2' -> ch-zrh" in ch.resolution
    for address in (EU_BUCKET, "module.eu_bucket.aws_s3_bucket_versioning.this[0]"):
        eu = by_address[address]
        assert (eu.provider, eu.region, eu.outcome) == ("sandbox-fr", "fr-par", Outcome.PASS)
    assert report.unresolved == []


def test_policy_allowing_switzerland_passes_the_same_plan(
    sandbox_plan: Path, tmp_path: Path
) -> None:
    policy = tmp_path / "fr-ch.yaml"
    policy.write_text(
        "rules:\n  - id: countries-allowed\n    countries: [FR, CH]\n  - id: no-non-eu-control\n"
    )
    code, report = _check(sandbox_plan, tmp_path / "out", "--policy", str(policy))
    assert code == 0
    assert report.outcome is Outcome.PASS and report.policy == "fr-ch"


def test_unknown_fact_exits_0_but_2_with_strict(sandbox_plan: Path, tmp_path: Path) -> None:
    policy = tmp_path / "transfers.yaml"
    policy.write_text("rules:\n  - id: third-country-transfers-disclosed\n")
    code, report = _check(sandbox_plan, tmp_path / "lenient", "--policy", str(policy))
    assert (code, report.outcome) == (0, Outcome.UNKNOWN)
    code, report = _check(sandbox_plan, tmp_path / "strict", "--policy", str(policy), "--strict")
    assert (code, report.strict) == (2, True)
