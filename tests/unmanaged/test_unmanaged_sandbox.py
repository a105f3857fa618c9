"""End to end on the sandbox: `fedstack unmanaged` finds exactly what was made behind Terraform's back.

A Terraform stack (state in a real bridge on loopback, SQLite, auth on) applies a bucket, a VPC,
an instance, a zone and a record at sandbox-fr; boto3 then makes a bucket, a VPC, an instance and
a record there, and two buckets at sandbox-de, as a person with console access would. The console
script enumerates the moto servers through their S3, EC2 and Route 53 APIs, reads the bridge's
inventory, and must report exactly the boto3 ones. The test's own moto servers (a private
FEDSTACK_HOME) keep other tests' resources out of the count. Nothing is mocked.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from bridge_helpers import bearer, wait_until
from cli_helpers import FEDSTACK
from drift_runs_helpers import WebhookReceiver, webhook_receiver
from fedstack.bridge import BridgeClient, BridgeSettings, running_bridge
from fedstack.bridge.store import create_token, open_engine

from fedstack.catalog import load_catalog
from fedstack.sandbox import SANDBOX_CREDENTIALS, Sandbox, SandboxServer, aws_provider_config
from fedstack.terraform import Terraform
from sandbox_helpers import sandbox_client

pytestmark = pytest.mark.slow

AMI = load_catalog().provider("sandbox-fr").images["debian-12"]


@dataclass
class World:
    """The applied stack, what boto3 made, the bridge, tokens and the private sandbox home."""

    root: Path
    home: Path
    servers: dict[str, SandboxServer]
    bridge: str
    project: str
    writer: str
    reader: str
    webhook: WebhookReceiver
    zone: str
    hand: dict[str, str]

    def client(self, service: str, provider: str, region: str) -> Any:
        return sandbox_client(service, self.servers[provider].endpoint, region)

    def unmanaged(self, *args: str, home: Path | None = None, post: bool = False) -> Run:
        """`fedstack unmanaged` as CI would run it, with this world's bridge and sandbox."""
        env = {**os.environ, "FEDSTACK_HOME": str(home or self.home)}
        env["FEDSTACK_BRIDGE_TOKEN"] = self.writer
        for name in ("FEDSTACK_BRIDGE_URL", "SCW_ACCESS_KEY", "SCW_SECRET_KEY"):
            env.pop(name, None)
        out = self.root / f"out-{secrets.token_hex(3)}"
        done = subprocess.run(
            [FEDSTACK, "unmanaged", "--bridge", self.bridge, "--format", "all", "--out", str(out)]
            + ([] if post else ["--no-post"])
            + list(args),
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,  # the exit code is what the tests check
        )
        report = json.loads((out / "unmanaged.json").read_text()) if out.exists() else {}
        return Run(done.returncode, done.stdout, done.stderr, report, out)

    def open_findings(self) -> list[dict[str, Any]]:
        answer = httpx.get(
            f"{self.bridge}/v1/unmanaged/resources",
            params={"state": "open"},
            headers=bearer(self.reader),
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return list(answer.json()["items"])


@dataclass
class Run:
    """One CLI run: exit code, output, the JSON report and the report folder."""

    code: int
    stdout: str
    stderr: str
    report: dict[str, Any]
    out: Path

    def addresses(self, *, ignored: bool = False) -> set[str]:
        return {f["address"] for f in self.report["findings"] if f["ignored"] is ignored}

    def provider(self, name: str) -> dict[str, Any]:
        return next(p for p in self.report["providers"] if p["provider"] == name)


def _stack(
    folder: Path, server: SandboxServer, bridge: str, project: str, names: dict[str, str]
) -> None:
    state = f"{bridge}/v1/states/{project}/web"
    config = {
        "terraform": {
            "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}},
            "backend": {
                "http": {
                    "address": state,
                    "lock_address": f"{state}/lock",
                    "unlock_address": f"{state}/lock",
                    "username": "ci",
                }
            },
        },
        "provider": {"aws": [aws_provider_config(server.endpoint, "eu-west-3")]},
        "resource": {
            "aws_s3_bucket": {"tf": {"bucket": names["bucket"], "force_destroy": True}},
            "aws_vpc": {"tf": {"cidr_block": "10.1.0.0/16"}},
            "aws_instance": {"tf": {"ami": AMI, "instance_type": "t3.micro"}},
            "aws_route53_zone": {"tf": {"name": names["zone"], "force_destroy": True}},
            "aws_route53_record": {
                "www": {
                    "zone_id": "${aws_route53_zone.tf.zone_id}",
                    "name": f"www.{names['zone']}",
                    "type": "A",
                    "ttl": 300,
                    "records": ["192.0.2.10"],
                }
            },
        },
    }
    folder.mkdir(parents=True)
    (folder / "main.tf.json").write_text(json.dumps(config, indent=2))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket is closed


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, fedstack_home: Path) -> Iterator[World]:
    """Apply the stack, make the hand-made resources, serve the bridge (with a webhook).

    The sandbox servers are this module's own (a private FEDSTACK_HOME), so stopping them
    removes everything: no `terraform destroy` (about two minutes on a loaded machine).
    """
    root = tmp_path_factory.mktemp("unmanaged")
    home = root / "home"
    box = Sandbox(home)
    servers = box.up(["sandbox-fr", "sandbox-de"])
    sfx = secrets.token_hex(3)
    names = {"bucket": f"tf-bucket-{sfx}", "zone": f"zone-{sfx}.test"}
    db_url = f"sqlite:///{root / 'bridge.db'}"
    engine = open_engine(db_url)
    project = f"unm-{sfx}"
    try:
        with (
            webhook_receiver() as hook,
            running_bridge(BridgeSettings(db_url=db_url, port=0, webhook=hook.url)) as url,
        ):
            state_writer = create_token(engine, project, "state:write").secret
            writer = create_token(engine, project, "drift:write").secret
            reader = create_token(engine, project, "state:read").secret
            _stack(root / "web", servers["sandbox-fr"], url, project, names)
            tf = Terraform(
                root / "web", env={**SANDBOX_CREDENTIALS, "TF_HTTP_PASSWORD": state_writer}
            )
            tf.init()
            tf.apply()
            with BridgeClient(url, state_writer) as client:
                client.set_placement(project, "web", "sandbox-fr", "fr-par")
            world = World(
                root, home, servers, url, project, writer, reader, hook, names["zone"], {}
            )
            world.hand = _make_by_hand(world, sfx)
            # No destroy: every resource lives on this module's own moto servers, which stop below.
            yield world
    finally:
        engine.dispose()
        box.down()


def _make_by_hand(world: World, sfx: str) -> dict[str, str]:
    s3 = world.client("s3", "sandbox-fr", "eu-west-3")
    s3.create_bucket(
        Bucket=f"hand-{sfx}", CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
    )
    ec2 = world.client("ec2", "sandbox-fr", "eu-west-3")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    instance = ec2.run_instances(ImageId=AMI, InstanceType="t3.micro", MinCount=1, MaxCount=1)
    instance_id = instance["Instances"][0]["InstanceId"]
    route53 = world.client("route53", "sandbox-fr", "eu-west-3")
    zone_id = next(
        z["Id"].rsplit("/", 1)[-1]
        for z in route53.list_hosted_zones()["HostedZones"]
        if z["Name"].rstrip(".") == world.zone
    )
    route53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": f"hand.{world.zone}",
                        "Type": "A",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": "192.0.2.99"}],
                    },
                }
            ]
        },
    )
    s3_de = world.client("s3", "sandbox-de", "eu-central-1")
    for bucket in (f"stray-{sfx}", f"tool-{sfx}"):
        s3_de.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
        )
    return {
        "bucket": f"sandbox-fr/fr-par/aws_s3_bucket/hand-{sfx}",
        "vpc": f"sandbox-fr/fr-par/aws_vpc/{vpc}",
        "instance": f"sandbox-fr/fr-par/aws_instance/{instance_id}",
        "record": f"sandbox-fr/global/aws_route53_record/hand.{world.zone} A",
        "stray": f"sandbox-de/de-fra/aws_s3_bucket/stray-{sfx}",
        "tool": f"sandbox-de/de-fra/aws_s3_bucket/tool-{sfx}",
        "tool_glob": "sandbox-de/*/aws_s3_bucket/tool-*",
        "bucket_name": f"hand-{sfx}",
    }


def _ignore_file(world: World) -> Path:
    path = world.root / "unmanaged-ignore.yaml"
    path.write_text(
        f'- address: "{world.hand["tool_glob"]}"\n'
        '  reason: "buckets of the backup tool, not Terraform\'s"\n'
        "  expires: 2999-12-31\n"
        f'- address: "{world.hand["stray"]}"\n'
        '  reason: "expired: must not apply any more"\n'
        "  expires: 2020-01-01\n"
    )
    return path


def test_reports_exactly_what_was_made_behind_terraforms_back(world: World) -> None:
    run = world.unmanaged(
        "--provider",
        "sandbox-fr",
        "--provider",
        "sandbox-de",
        "--provider",
        "sandbox-nl",
        "--provider",
        "scaleway",
        "--ignore",
        str(_ignore_file(world)),
    )
    assert run.code == 2, run.stderr
    hand = world.hand
    expected = {hand[k] for k in ("bucket", "vpc", "instance", "record", "stray")}
    assert run.addresses() == expected
    assert run.addresses(ignored=True) == {hand["tool"]}
    (tool,) = [f for f in run.report["findings"] if f["ignored"]]
    assert tool["ignore_reason"] == "buckets of the backup tool, not Terraform's"
    assert any(hand["stray"] in line for line in run.report["expired_rules"])
    bucket = next(f for f in run.report["findings"] if f["address"] == hand["bucket"])
    assert (bucket["provider"], bucket["region"], bucket["country"], bucket["kind"]) == (
        "sandbox-fr",
        "fr-par",
        "FR",
        "object_storage",
    )
    # Skipped, with a line saying why, and not an error.
    assert run.provider("sandbox-nl")["status"] == "skipped"
    assert "sandbox-nl: skipped: no sandbox server recorded" in run.stderr
    assert run.provider("scaleway")["status"] == "skipped"
    assert "scaleway: skipped: no credentials: set SCW_ACCESS_KEY and SCW_SECRET_KEY" in run.stderr
    assert "sandbox-fr: checked" in run.stderr
    for fmt in ("unmanaged.md", "unmanaged.sarif", "unmanaged.junit.xml", "unmanaged.html"):
        assert hand["bucket_name"] in (run.out / fmt).read_text(), fmt
    sarif = json.loads((run.out / "unmanaged.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == 6
    assert world.writer not in run.stdout + run.stderr  # the token is never printed


def test_type_and_region_narrow_the_enumeration(world: World) -> None:
    run = world.unmanaged(
        "--provider", "sandbox-fr", "--type", "object_storage", "--region", "fr-par"
    )
    assert run.code == 2, run.stderr
    assert run.addresses() == {world.hand["bucket"]}
    scopes = run.provider("sandbox-fr")["scopes"]
    assert scopes == [{"provider": "sandbox-fr", "region": "fr-par", "kind": "object_storage"}]


def test_import_blocks_are_accepted_by_terraform_plan(world: World) -> None:
    run = world.unmanaged("--provider", "sandbox-fr")
    blocks = [f["import_block"] for f in run.report["findings"]]
    assert len(blocks) == 4
    stack = world.root / "adopt"
    stack.mkdir()
    provider = aws_provider_config(world.servers["sandbox-fr"].endpoint, "eu-west-3")
    (stack / "provider.tf.json").write_text(
        json.dumps(
            {
                "terraform": {
                    "required_providers": {
                        "aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}
                    }
                },
                "provider": {"aws": [provider]},
            }
        )
    )
    (stack / "imports.tf").write_text("\n".join(blocks))
    tf = Terraform(stack, env=SANDBOX_CREDENTIALS)
    tf.init()
    plan = tf.run("plan", "-input=false", "-no-color")
    assert "Plan: 4 to import" in plan, plan


def test_history_first_seen_kept_and_deleted_marked_gone_webhook_on_changes_only(
    world: World,
) -> None:
    first = world.unmanaged("--provider", "sandbox-fr", post=True)
    assert first.code == 2, first.stderr
    opened = {f["address"]: f for f in world.open_findings()}
    assert set(opened) == first.addresses()
    wait_until(
        lambda: len(world.webhook.for_project(world.project)) == 1, timeout=30, what="webhook"
    )
    (hook,) = world.webhook.for_project(world.project)
    assert (hook["event"], hook["new"], hook["gone"]) == ("unmanaged.changed", 4, 0)

    second = world.unmanaged("--provider", "sandbox-fr", post=True)
    assert "0 new, 0 gone" in second.stderr
    again = {f["address"]: f for f in world.open_findings()}
    assert {a: f["first_seen_at"] for a, f in again.items()} == {
        a: f["first_seen_at"] for a, f in opened.items()
    }
    assert all(f["last_run"] > opened[a]["last_run"] for a, f in again.items())

    s3 = world.client("s3", "sandbox-fr", "eu-west-3")
    s3.delete_bucket(Bucket=world.hand["bucket_name"])
    third = world.unmanaged("--provider", "sandbox-fr", post=True)
    assert "0 new, 1 gone" in third.stderr
    assert world.hand["bucket"] not in {f["address"] for f in world.open_findings()}
    gone = httpx.get(
        f"{world.bridge}/v1/unmanaged/resources",
        params={"state": "gone"},
        headers=bearer(world.reader),
        timeout=30,
    ).json()["items"]
    assert [g["address"] for g in gone] == [world.hand["bucket"]]
    assert (
        gone[0]["gone_at"]
        and gone[0]["first_seen_at"] == opened[world.hand["bucket"]]["first_seen_at"]
    )
    # Times read like every other route's (UTC with Z), on SQLite (naive columns) as on PostgreSQL.
    assert all(gone[0][k].endswith("Z") for k in ("first_seen_at", "last_seen_at", "gone_at"))
    wait_until(
        lambda: len(world.webhook.for_project(world.project)) == 2, timeout=30, what="webhook"
    )
    last = world.webhook.for_project(world.project)[-1]
    assert (last["new"], last["gone"]) == (0, 1)
    assert last["changes"][0]["address"] == world.hand["bucket"]
    page = httpx.get(f"{world.bridge}/dashboard", headers=bearer(world.reader), timeout=30).text
    assert 'id="unmanaged"' in page and world.hand["vpc"].rsplit("/", 1)[-1] in page


def test_a_failing_provider_api_is_an_error_of_that_provider_only(world: World) -> None:
    broken = world.root / "broken-home"
    state = json.loads(Sandbox(world.home).state_file.read_text())
    fr = state["servers"]["sandbox-fr"]
    state["servers"]["sandbox-nl"] = {**fr, "provider": "sandbox-nl", "port": _closed_port()}
    state["servers"]["sandbox-nl"].pop("endpoint", None)
    (broken / "sandbox").mkdir(parents=True)
    (broken / "sandbox" / "state.json").write_text(json.dumps(state))
    run = world.unmanaged("--provider", "sandbox-nl", "--provider", "sandbox-fr", home=broken)
    assert run.code == 1, run.stderr
    assert run.provider("sandbox-nl")["status"] == "error"
    assert "sandbox-nl: error: S3 ListBuckets at http://127.0.0.1:" in run.stderr
    assert run.provider("sandbox-fr")["status"] == "checked"
    assert {f["provider"] for f in run.report["findings"]} == {"sandbox-fr"}
    assert len(run.report["findings"]) >= 3
