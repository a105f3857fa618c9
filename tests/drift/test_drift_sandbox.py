"""Real drift on the sandbox cloud: deploy two stacks on two sandbox providers with Terraform,
change them out of band with boto3, and check that `fedstack drift` finds exactly that.

Nothing is mocked: real Terraform against moto servers on loopback, the console script in a
subprocess, and the Python API. Only the bridge is a stand-in (a loopback HTTP receiver, see
conftest.py) until its `POST /v1/drift-runs` lands on main.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import FEDSTACK

from fedstack.catalog import load_catalog
from fedstack.drift import (
    DriftOptions,
    discover_stacks,
    load_ignore_rules,
    run_drift,
    write_reports,
)
from fedstack.drift.schema import MASK, DriftReport
from fedstack.sandbox import SANDBOX_CREDENTIALS, SandboxServer, aws_provider_config
from fedstack.terraform import Terraform

from .conftest import BridgeReceiver
from .reports import validate_junit, validate_sarif
from sandbox_helpers import sandbox_client

pytestmark = pytest.mark.slow

BUCKET = "module.bucket.aws_s3_bucket.this"
# What the out-of-band changes must show, and nothing else: (stack, address) -> attribute paths;
# None for a resource deleted out of band.
EXPECTED: dict[tuple[str, str], set[str] | None] = {
    ("fr", BUCKET): {"tags.owner"},
    ("fr", "aws_instance.vm"): {"tags.owner"},
    ("de", BUCKET): {"tags.token"},
    ("de", "aws_route53_record.www"): None,
}


@dataclass
class Deployment:
    """Two deployed stacks (fr with fedstack.json, de without) and a broken one beside them."""

    root: Path
    servers: dict[str, SandboxServer]
    names: dict[str, str]
    secret: str
    env: dict[str, str]

    def client(self, provider: str, service: str, region: str) -> Any:
        return sandbox_client(service, self.servers[provider].endpoint, region)


def _fr_stack(folder: Path, server: SandboxServer, bucket: str, ami: str) -> None:
    module = load_catalog().module_path("sandbox-fr", "object_storage")
    config = {
        "terraform": {
            "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}}
        },
        "provider": {"aws": [aws_provider_config(server.endpoint, "eu-west-3")]},
        "module": {
            "bucket": {
                "source": str(module),
                "name": bucket,
                "location": "fr-par",
                "labels": {"owner": "alice", "team": "web"},
                "force_destroy": True,
            }
        },
        "resource": {
            "aws_instance": {
                "vm": {
                    "ami": ami,
                    "instance_type": "t2.micro",
                    "tags": {"Name": "vm-fr", "owner": "alice"},
                }
            }
        },
    }
    folder.mkdir(parents=True)
    (folder / "main.tf.json").write_text(json.dumps(config, indent=2))
    (folder / "fedstack.json").write_text(
        json.dumps({"provider": "sandbox-fr", "region": "fr-par"})
    )


def _de_stack(folder: Path, server: SandboxServer, bucket: str, zone_id: str, record: str) -> None:
    # Plain HCL, no fedstack.json: placement comes from the bucket's region attribute and the
    # provider's region.
    module = load_catalog().module_path("sandbox-de", "object_storage")
    endpoints = "\n".join(
        f"    {s} = {json.dumps(server.endpoint)}" for s in ("s3", "ec2", "route53", "sts", "iam")
    )
    folder.mkdir(parents=True)
    (folder / "main.tf").write_text(
        f"""terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = ">= 5.0, < 6.0"
    }}
  }}
}}

provider "aws" {{
  region                      = "eu-central-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true
  endpoints {{
{endpoints}
  }}
}}

variable "token" {{
  type      = string
  sensitive = true
}}

module "bucket" {{
  source        = {json.dumps(str(module))}
  name          = {json.dumps(bucket)}
  location      = "de-fra"
  labels        = {{ owner = "bob", token = var.token }}
  force_destroy = true
}}

resource "aws_route53_record" "www" {{
  zone_id = {json.dumps(zone_id)}
  name    = {json.dumps(record)}
  type    = "A"
  ttl     = 300
  records = ["192.0.2.10"]
}}
"""
    )


@pytest.fixture(scope="module")
def deployed(
    sandbox: dict[str, SandboxServer], tmp_path_factory: pytest.TempPathFactory
) -> Deployment:
    """Apply the fr and de stacks once for this module (in parallel; inits are serialised)."""
    root = tmp_path_factory.mktemp("drift") / "stacks"
    suffix = secrets.token_hex(3)
    secret = f"tok-{secrets.token_hex(8)}"
    env = {**SANDBOX_CREDENTIALS, "TF_VAR_token": secret}
    deployment = Deployment(
        root=root,
        servers=sandbox,
        names={
            "fr_bucket": f"drift-fr-{suffix}",
            "de_bucket": f"drift-de-{suffix}",
            "zone": f"drift-{suffix}.test",
        },
        secret=secret,
        env=env,
    )
    ec2 = deployment.client("sandbox-fr", "ec2", "eu-west-3")
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    # The zone is made out of band (creating one through Terraform waits ~30 s on moto).
    route53 = deployment.client("sandbox-de", "route53", "us-east-1")
    zone = route53.create_hosted_zone(Name=deployment.names["zone"], CallerReference=suffix)
    deployment.names["zone_id"] = zone["HostedZone"]["Id"].split("/")[-1]
    deployment.names["record"] = f"www.{deployment.names['zone']}"
    _fr_stack(root / "fr", sandbox["sandbox-fr"], deployment.names["fr_bucket"], ami)
    _de_stack(
        root / "de",
        sandbox["sandbox-de"],
        deployment.names["de_bucket"],
        deployment.names["zone_id"],
        deployment.names["record"],
    )
    (root / "broken").mkdir()
    (root / "broken" / "main.tf").write_text(
        'provider "aws" {}\n\nresource "aws_s3_bucket" "b" {\n  bucket = \n'
    )

    def apply(folder: Path) -> None:
        tf = Terraform(folder, env=env)
        tf.init()
        tf.apply()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(apply, [root / "fr", root / "de"]))
    deployment.names["instance"] = _instance_id(root / "fr", env)
    return deployment


def _instance_id(folder: Path, env: dict[str, str]) -> str:
    state = Terraform(folder, env=env).show_json()
    (vm,) = [
        r for r in state["values"]["root_module"]["resources"] if r["address"] == "aws_instance.vm"
    ]
    return vm["values"]["id"]


def _change_out_of_band(d: Deployment, *, undo: bool = False) -> None:
    """Change (or put back) a bucket's tags, an instance's tags, a DNS record, a secret tag."""
    owner = "alice" if undo else "mallory"
    token = d.secret if undo else f"new-{d.secret}"
    s3_fr = d.client("sandbox-fr", "s3", "eu-west-3")
    s3_fr.put_bucket_tagging(
        Bucket=d.names["fr_bucket"],
        Tagging={"TagSet": [{"Key": "owner", "Value": owner}, {"Key": "team", "Value": "web"}]},
    )
    d.client("sandbox-fr", "ec2", "eu-west-3").create_tags(
        Resources=[d.names["instance"]], Tags=[{"Key": "owner", "Value": owner}]
    )
    s3_de = d.client("sandbox-de", "s3", "eu-central-1")
    s3_de.put_bucket_tagging(
        Bucket=d.names["de_bucket"],
        Tagging={"TagSet": [{"Key": "owner", "Value": "bob"}, {"Key": "token", "Value": token}]},
    )
    record = {
        "Name": d.names["record"] + ".",
        "Type": "A",
        "TTL": 300,
        "ResourceRecords": [{"Value": "192.0.2.10"}],
    }
    d.client("sandbox-de", "route53", "us-east-1").change_resource_record_sets(
        HostedZoneId=d.names["zone_id"],
        ChangeBatch={
            "Changes": [{"Action": "CREATE" if undo else "DELETE", "ResourceRecordSet": record}]
        },
    )


@dataclass
class CliRun:
    """One `fedstack drift` run in a subprocess: exit code, outputs, report folder."""

    returncode: int
    stdout: str
    stderr: str
    out: Path
    step_summary: Path


def _cli(d: Deployment, *args: str, extra_env: dict[str, str] | None = None) -> CliRun:
    out = d.root.parent / f"reports-{secrets.token_hex(2)}"
    summary = d.root.parent / f"step-summary-{secrets.token_hex(2)}.md"
    env = {**os.environ, **d.env, "GITHUB_STEP_SUMMARY": str(summary), **(extra_env or {})}
    env.pop("FEDSTACK_BRIDGE_URL", None)
    done = subprocess.run(
        [FEDSTACK, "drift", *args, "--out", str(out)],
        cwd=d.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,  # the exit code is what the tests check
    )
    return CliRun(done.returncode, done.stdout, done.stderr, out, summary)


@pytest.fixture(scope="module")
def drifted_run(deployed: Deployment, module_bridge_receiver: BridgeReceiver) -> CliRun:
    """Change the stacks out of band, then run the console script over fr and de with every format."""
    _change_out_of_band(deployed)
    return _cli(
        deployed,
        "fr",
        "de",
        "--format",
        "all",
        "--parallel",
        "2",
        "--bridge",
        module_bridge_receiver.url,
        extra_env={"FEDSTACK_BRIDGE_TOKEN": "bridge-token-abc"},
    )


def _json_report(run: CliRun) -> DriftReport:
    return DriftReport.model_validate_json((run.out / "drift.json").read_text())


def _found_in_json(report: DriftReport) -> dict[tuple[str, str], set[str] | None]:
    return {
        (stack.name, r.address): None if r.kind == "delete" else {c.path for c in r.changes}
        for stack in report.stacks
        for r in stack.drift
    }


def test_cli_exits_2_when_resources_drift_out_of_band(drifted_run: CliRun) -> None:
    assert drifted_run.returncode == 2, drifted_run.stderr


def test_json_report_names_exactly_the_changed_resources_and_attributes(
    drifted_run: CliRun,
) -> None:
    report = _json_report(drifted_run)
    assert _found_in_json(report) == EXPECTED
    assert [s.status for s in report.stacks] == ["drift", "drift"]
    deleted = next(r for s in report.stacks for r in s.drift if r.kind == "delete")
    assert deleted.address == "aws_route53_record.www"


def test_markdown_html_junit_and_sarif_name_exactly_the_same_drift(drifted_run: CliRun) -> None:
    out = drifted_run.out
    markdown = out.joinpath("drift.md").read_text()
    md_rows = re.findall(
        r"^\| <code>([^<]+)</code> \| (changed|deleted out of band)[^|]*\| (?:<code>([^<]+)</code>)? ?\|",
        markdown,
        re.MULTILINE,
    )
    html = out.joinpath("drift.html").read_text()
    html_rows = re.findall(
        r"<td><code>([^<]+)</code></td><td>(changed|deleted out of band)[^<]*</td><td>(?:<code>([^<]+)</code>)?</td>",
        html,
    )
    for rows in (md_rows, html_rows):
        addresses = {address for address, _, _ in rows}
        attributes = {(address, path) for address, kind, path in rows if kind == "changed"}
        assert addresses == {address for _, address in EXPECTED}
        assert attributes == {(a, p) for (_, a), paths in EXPECTED.items() for p in paths or ()}
    junit = ET.parse(out / "drift.junit.xml").getroot()
    failures = {
        (case.get("classname"), case.get("name")): case.find("failure")
        for case in junit.iter("testcase")
        if case.find("failure") is not None
    }
    assert set(failures) == set(EXPECTED)
    for key, failure in failures.items():
        paths = EXPECTED[key]
        if paths is None:
            assert failure.get("type") == "drift.delete"
        else:
            assert set(failure.get("message").split(": ", 1)[1].split(", ")) == paths
    sarif = json.loads(out.joinpath("drift.sarif").read_text())
    results = {
        tuple(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].split("/", 1)): (
            r["ruleId"],
            set(r["properties"]["attributes"]),
        )
        for r in sarif["runs"][0]["results"]
    }
    assert set(results) == set(EXPECTED)
    for key, (rule, paths) in results.items():
        assert (rule, paths) == (
            ("drift/delete", set()) if EXPECTED[key] is None else ("drift/update", EXPECTED[key])
        )


def test_junit_and_sarif_of_a_real_run_are_schema_valid(drifted_run: CliRun) -> None:
    validate_junit(drifted_run.out / "drift.junit.xml")
    validate_sarif(drifted_run.out.joinpath("drift.sarif").read_text())


def test_provider_region_and_country_come_from_metadata_or_the_region_attribute(
    drifted_run: CliRun,
) -> None:
    report = _json_report(drifted_run)
    placements = {
        (stack.name, r.address): (r.provider, r.region, r.country)
        for stack in report.stacks
        for r in stack.drift
    }
    assert placements[("fr", BUCKET)] == ("sandbox-fr", "fr-par", "FR")  # fedstack.json
    assert placements[("fr", "aws_instance.vm")] == ("sandbox-fr", "fr-par", "FR")
    assert placements[("de", BUCKET)] == ("sandbox-de", "de-fra", "DE")  # region = eu-central-1
    assert placements[("de", "aws_route53_record.www")] == (
        "sandbox-de",
        "de-fra",
        "DE",
    )  # provider region
    sarif = drifted_run.out.joinpath("drift.sarif").read_text()
    assert '"uri": "fr/main.tf.json"' in sarif and '"uri": "de/main.tf"' in sarif


def test_a_sensitive_value_changed_out_of_band_never_appears_in_any_output(
    drifted_run: CliRun, deployed: Deployment, module_bridge_receiver: BridgeReceiver
) -> None:
    report = _json_report(drifted_run)
    (bucket,) = [r for s in report.stacks if s.name == "de" for r in s.drift if r.address == BUCKET]
    assert all(c.sensitive and c.before == MASK and c.after == MASK for c in bucket.changes)
    outputs = {
        "stdout": drifted_run.stdout,
        "stderr": drifted_run.stderr,
        "step summary": drifted_run.step_summary.read_text(),
        **{f.name: f.read_text() for f in drifted_run.out.iterdir()},
        **{
            f"bridge request {i}": r.body.decode()
            for i, r in enumerate(module_bridge_receiver.requests)
        },
    }
    assert len(outputs) == 10  # 8 outputs, the bridge pre-check's `{}` and the posted run
    for name, text in outputs.items():
        assert deployed.secret not in text, f"the secret leaked into {name}"


def test_the_run_is_posted_to_the_bridge_with_the_bearer_token(
    drifted_run: CliRun, module_bridge_receiver: BridgeReceiver
) -> None:
    # Before any plan, an empty object checks the bridge and the token; then the run.
    check, request = module_bridge_receiver.requests
    assert check.body == b"{}" and check.headers["Authorization"] == "Bearer bridge-token-abc"
    assert request.path == "/v1/drift-runs"
    assert request.headers["Authorization"] == "Bearer bridge-token-abc"
    posted = DriftReport.model_validate_json(request.body)
    assert posted == _json_report(drifted_run)
    assert "bridge-token-abc" not in drifted_run.stdout + drifted_run.stderr


def test_the_python_api_exits_2_and_lists_ignored_drift_and_expired_rules(
    drifted_run: CliRun, deployed: Deployment, tmp_path: Path
) -> None:
    rules = tmp_path / "ignore.yaml"
    rules.write_text(
        "- address: aws_instance.*\n  attributes: [tags.owner, tags_all.owner]\n  reason: owner set by ops\n"
        "- address: aws_route53_record.*\n  reason: records are the DNS team's\n  expires: 2020-01-01\n"
    )
    stacks = discover_stacks([deployed.root / "fr", deployed.root / "de"])
    options = DriftOptions(
        parallel=2, env=deployed.env, timeout=240, ignore_rules=load_ignore_rules(rules)
    )
    report = run_drift(stacks, options)
    assert report.exit_code == 2
    assert _found_in_json(report) == EXPECTED  # ignored drift is still listed
    ignored = {
        (s.name, r.address): r.ignore_reason for s in report.stacks for r in s.drift if r.ignored
    }
    assert ignored == {("fr", "aws_instance.vm"): "owner set by ops"}
    assert [rule.address for rule in report.expired_rules] == ["aws_route53_record.*"]


def test_a_broken_stack_exits_1_while_the_others_drift_is_still_reported(
    drifted_run: CliRun, deployed: Deployment, tmp_path: Path
) -> None:
    stacks = discover_stacks([deployed.root])
    assert [s.name for s in stacks] == ["broken", "de", "fr"]
    report = run_drift(stacks, DriftOptions(parallel=3, env=deployed.env, timeout=240))
    assert report.exit_code == 1
    status = {s.name: s.status for s in report.stacks}
    assert status == {"broken": "error", "de": "drift", "fr": "drift"}
    (broken,) = [s for s in report.stacks if s.name == "broken"]
    assert "init failed" in broken.error
    assert _found_in_json(report) == EXPECTED
    written = write_reports(report, ["junit", "sarif"], tmp_path)
    validate_junit(written["junit"])
    assert '<error type="StackError"' in written["junit"].read_text()
    sarif = validate_sarif(written["sarif"].read_text())
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_undoing_the_changes_brings_every_stack_back_in_sync_with_exit_0(
    drifted_run: CliRun, deployed: Deployment
) -> None:
    _change_out_of_band(deployed, undo=True)
    run = _cli(deployed, "fr", "de", "--json", "--format", "json")
    assert run.returncode == 0, run.stderr
    report = DriftReport.model_validate_json(run.stdout)
    assert [(s.name, s.status, s.drift) for s in report.stacks] == [
        ("fr", "in_sync", []),
        ("de", "in_sync", []),
    ]
    assert set(report.stacks[0].resources_checked) == {BUCKET, "aws_instance.vm"}


def test_a_stale_terraform_folder_is_initialised_again_and_checked(
    sandbox: dict[str, SandboxServer], tmp_path: Path
) -> None:
    # An empty .terraform (as an interrupted init leaves it): Terraform asks for init; fedstack
    # runs it once and plans again instead of reporting an error.
    folder = tmp_path / "stale"
    folder.mkdir()
    config = {
        "provider": {"aws": [aws_provider_config(sandbox["sandbox-nl"].endpoint, "eu-west-1")]}
    }
    (folder / "main.tf.json").write_text(json.dumps(config))
    (folder / ".terraform").mkdir()
    phases: list[str] = []
    report = run_drift(
        discover_stacks([folder]),
        DriftOptions(
            env=SANDBOX_CREDENTIALS, timeout=240, on_phase=lambda _s, phase: phases.append(phase)
        ),
    )
    assert [(s.status, s.error) for s in report.stacks] == [("in_sync", None)]
    assert phases == ["plan", "init", "plan", "show", "in_sync"]
    assert (report.stacks[0].provider, report.stacks[0].region) == ("sandbox-nl", "nl-ams")


def test_a_stack_past_its_time_limit_is_stopped_and_reported_as_an_error(
    sandbox: dict[str, SandboxServer], tmp_path: Path
) -> None:
    # Loading the aws provider alone takes several seconds, so a 2-second limit always trips.
    folder = tmp_path / "slow"
    folder.mkdir()
    config = {
        "provider": {"aws": [aws_provider_config(sandbox["sandbox-nl"].endpoint, "eu-west-1")]}
    }
    (folder / "main.tf.json").write_text(json.dumps(config))
    report = run_drift(discover_stacks([folder]), DriftOptions(env=SANDBOX_CREDENTIALS, timeout=2))
    (stack,) = report.stacks
    assert stack.status == "error"
    assert "took longer than" in stack.error or "time limit ran out" in stack.error
    assert report.exit_code == 1
