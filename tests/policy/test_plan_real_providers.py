"""`policy check` on hand-written plan JSON for real providers' resource types.

No real cloud account can run here, so the plans are written by hand in the format of
`terraform show -json` (format 1.2; one resource from an OpenTofu registry address), for:
scaleway_object_bucket (region), scaleway_rdb_instance (provider region from a variable),
scaleway_instance_server (zone, in a module with its own provider block), hcloud_server
(location), ionoscloud_datacenter (location `de/fra`), ionoscloud_server (no location: inherits
from the data center it references, or stays unresolved), aws_s3_bucket against OVHcloud's S3
endpoint template and against plain AWS, exoscale_sks_cluster and exoscale_compute_instance (zone),
google_storage_bucket (provider not in the catalog) and random_id (holds no data). The catalog is
tests/policy/data/catalog-real.yaml.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fedstack.catalog import Catalog, load_catalog
from fedstack.cli import main
from fedstack.policy import (
    Outcome,
    PlanError,
    PolicyReport,
    check_plan,
    load_policy,
    parse_plan,
    read_plan,
)

DATA = Path(__file__).resolve().parent / "data"
PLAN = DATA / "plan-real-providers.json"
CATALOG = DATA / "catalog-real.yaml"

P, F, U = Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN

# address -> (provider, region, outcome under eu-data-residency)
EXPECTED = {
    "scaleway_object_bucket.assets": ("scaleway", "fr-par", P),
    "scaleway_rdb_instance.db": ("scaleway", "nl-ams", P),
    "module.net.scaleway_instance_server.web[0]": ("scaleway", "pl-waw", P),
    "hcloud_server.eu": ("hetzner", "hel1", P),
    "hcloud_server.us": ("hetzner", "ash", F),
    "ionoscloud_datacenter.fra": ("ionos", "de-fra", P),
    "ionoscloud_datacenter.las": ("ionos", "us-las", F),
    "ionoscloud_server.app": ("ionos", "de-fra", P),
    "ionoscloud_server.orphan": ("ionos", None, U),
    "aws_s3_bucket.ovh_gra": ("ovh", "gra", P),
    "aws_s3_bucket.ovh_bhs": ("ovh", "bhs", F),
    "aws_s3_bucket.amazon": (None, None, U),
    "exoscale_sks_cluster.k8s": ("exoscale", "at-vie-1", P),
    "exoscale_compute_instance.gva": ("exoscale", "ch-gva-2", F),
    "google_storage_bucket.logs": (None, None, U),
}


@pytest.fixture(scope="module")
def real_catalog() -> Catalog:
    return load_catalog(CATALOG)


@pytest.fixture(scope="module")
def report(real_catalog: Catalog) -> PolicyReport:
    return check_plan(PLAN, catalog=real_catalog, policy=load_policy("eu-data-residency"))


def test_each_resource_resolves_to_provider_region_and_outcome(report: PolicyReport) -> None:
    got = {r.address: (r.provider, r.region, r.outcome) for r in report.resources}
    assert got == EXPECTED


def test_resolution_says_where_provider_and_region_came_from(report: PolicyReport) -> None:
    how = {r.address: r.resolution for r in report.resources}
    assert "region='nl-ams'" in how["scaleway_rdb_instance.db"]  # from var.scw_region
    assert "provider scaleway region" in how["scaleway_rdb_instance.db"]
    assert "resource zone='pl-waw-1' -> pl-waw" in how["module.net.scaleway_instance_server.web[0]"]
    assert "template https://s3.{region}.io.cloud.ovh.net" in how["aws_s3_bucket.ovh_gra"]
    assert "references ionoscloud_datacenter.fra" in how["ionoscloud_server.app"]


def test_unresolved_resources_are_listed_with_the_reason(report: PolicyReport) -> None:
    reasons = {r.address: r.unresolved for r in report.unresolved}
    assert set(reasons) == {
        "ionoscloud_server.orphan",
        "aws_s3_bucket.amazon",
        "google_storage_bucket.logs",
    }
    assert (
        "neither the resource nor its provider configuration" in reasons["ionoscloud_server.orphan"]
    )
    assert "Amazon Web Services" in reasons["aws_s3_bucket.amazon"]
    assert "hashicorp/google" in reasons["google_storage_bucket.logs"]


def test_deleted_and_data_resources_are_left_out_and_utility_ones_skipped(
    report: PolicyReport,
) -> None:
    addresses = {r.address for r in report.resources}
    assert "scaleway_object_bucket.old" not in addresses
    assert "data.scaleway_account_project.this" not in addresses
    assert [(s.address, s.reason) for s in report.skipped] == [
        ("random_id.suffix", "hashicorp/random holds no data")
    ]


def test_unknown_exits_zero_unless_strict(real_catalog: Catalog, tmp_path: Path) -> None:
    only_eu = tmp_path / "plan.json"
    plan = json.loads(PLAN.read_text())
    keep = {"scaleway_object_bucket.assets", "aws_s3_bucket.amazon"}
    plan["resource_changes"] = [c for c in plan["resource_changes"] if c["address"] in keep]
    only_eu.write_text(json.dumps(plan))
    policy = load_policy("eu-data-residency")
    lenient = check_plan(only_eu, catalog=real_catalog, policy=policy)
    strict = check_plan(only_eu, catalog=real_catalog, policy=policy, strict=True)
    assert lenient.outcome is U and lenient.exit_code() == 0
    assert strict.exit_code() == 2


def test_cli_writes_every_report_format_and_exits_2_on_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "policy",
                "check",
                str(PLAN),
                "--catalog",
                str(CATALOG),
                "--policy",
                "eu-data-residency",
                "--format",
                "md,junit,sarif,json",
                "--out",
                str(out),
            ]
        )
    assert exited.value.code == 2
    fails = [a for a, (_, _, o) in EXPECTED.items() if o is F]

    report = PolicyReport.model_validate_json((out / "policy.json").read_text())
    assert report.schema_version == 1 and report.outcome is F

    sarif = json.loads((out / "policy.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    errors = [r for r in run["results"] if r["level"] == "error"]
    assert {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in errors} == set(
        fails
    )
    assert all(r["ruleId"] in rule_ids for r in run["results"])
    assert {r["ruleId"] for r in errors} == {"data-location-eu"}

    suite = ET.parse(out / "policy.junit.xml").getroot()
    assert int(suite.get("failures", "-1")) == len(fails)
    failed_cases = {
        case.get("classname") for case in suite.iter("testcase") if case.find("failure") is not None
    }
    assert failed_cases == set(fails)

    for written in out.iterdir():  # credentials put into an endpoint URL never reach a report
        assert "not-a-real-secret" not in written.read_text()
    markdown = (out / "policy.md").read_text()
    assert "## Could not be resolved" in markdown
    assert "`aws_s3_bucket.amazon`" in markdown and "❌ fail" in markdown
    assert "policy eu-data-residency:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "not JSON"),
        (
            '{"format_version": "2.0", "resource_changes": []}',
            "format_version 2.0 is not supported",
        ),
        ('{"format_version": "1.0", "values": {}}', "this is not a plan"),
        ("[]", "the plan JSON is not an object"),
        ('{"resource_changes": []}', "the plan JSON has no format_version"),
    ],
)
def test_bad_plan_file_is_one_error_naming_the_file(
    tmp_path: Path, body: str, message: str
) -> None:
    file = tmp_path / "plan.json"
    file.write_text(body)
    with pytest.raises(PlanError) as caught:
        read_plan(file)
    assert str(caught.value).startswith(f"{file}: ")
    assert message in str(caught.value)


def test_cli_error_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "plan.json"
    file.write_text('{"format_version": "9.1"}')
    with pytest.raises(SystemExit) as exited:
        main(["policy", "check", str(file)])
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("fedstack: error: ") and "format_version 9.1 is not supported" in err
    assert len(err.splitlines()) == 1


def test_provider_region_from_a_root_variable_is_used_only_at_the_root() -> None:
    plan = parse_plan(json.loads(PLAN.read_text()))
    assert plan.providers["scaleway"].value("region") == "nl-ams"
    assert plan.providers["module.net:scaleway"].value("zone") == "pl-waw-2"


def test_cli_prints_one_format_on_stdout_without_out(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["policy", "check", str(PLAN), "--catalog", str(CATALOG), "--format", "sarif"])
    assert exited.value.code == 2
    assert json.loads(capsys.readouterr().out)["version"] == "2.1.0"
    with pytest.raises(SystemExit) as exited:
        main(["policy", "check", str(PLAN), "--catalog", str(CATALOG), "--format", "md,json"])
    assert exited.value.code == 1
    assert "several formats need --out" in capsys.readouterr().err


def test_cli_reads_the_plan_from_stdin() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "fedstack.cli",
            "policy",
            "check",
            "-",
            "--catalog",
            str(CATALOG),
            "--json",
        ],
        input=PLAN.read_text(),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    report = PolicyReport.model_validate_json(done.stdout)
    assert report.source == "<stdin>" and len(report.resources) == len(EXPECTED)
