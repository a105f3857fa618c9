"""End to end on the sandbox cloud: the example app deployed across three providers for real,
with every state in a real bridge (`backend "http"`, the token only in TF_HTTP_PASSWORD).

Runs under one CDK library only (`make test` leaves it out of the second venv): what it adds
over the synth tests is Terraform and the sandbox, which do not depend on the library.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sandbox_helpers import sandbox_client

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "federated-webapp"

FR, DE, NL = "webapp-sandbox-fr-fr-par", "webapp-sandbox-de-de-fra", "webapp-sandbox-nl-nl-ams"


def _client(service: str, endpoint: str, region: str):  # type: ignore[no-untyped-def]
    return sandbox_client(service, endpoint, region)


def _fedstack(*args: str, env: dict[str, str]) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [str(Path(sys.executable).parent / "fedstack"), *args, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    return json.loads(done.stdout)


def _bridge_state(bridge: dict[str, str], stack: str) -> dict:  # type: ignore[type-arg]
    response = httpx.get(
        f"{bridge['FEDSTACK_BRIDGE_URL']}/v1/states/webapp/{stack}",
        auth=(bridge["TF_HTTP_USERNAME"], bridge["TF_HTTP_PASSWORD"]),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def _addresses(state: dict) -> set[str]:  # type: ignore[type-arg]
    """Module paths and `mode.type` of the state's resources (module.x, data.terraform_remote_state)."""
    found = set()
    for resource in state.get("resources", []):
        if "module" in resource:
            found.add(resource["module"])
        if resource.get("mode") == "data":
            found.add(f"data.{resource['type']}")
    return found


@pytest.mark.slow
def test_three_provider_workload_deploys_through_the_bridge_links_dns_and_destroys(
    sandbox, cli_env, bridge_for_stacks, tmp_path
) -> None:
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy(EXAMPLE / "main.py", app / "main.py")
    zone = f"e2e-{secrets.token_hex(3)}.example.eu"
    nl_dns = _client("route53", sandbox["sandbox-nl"].endpoint, "eu-west-1")
    zone_id = nl_dns.create_hosted_zone(Name=zone, CallerReference=zone)["HostedZone"]["Id"]
    env = {**cli_env, **bridge_for_stacks, "WEBAPP_ZONE": zone}
    out = tmp_path / "out"

    deployed = _fedstack("deploy", str(app), "--out", str(out), env=env)
    assert {r["stack"]: r["status"] for r in deployed["results"]} == {FR: "ok", DE: "ok", NL: "ok"}
    token = bridge_for_stacks["TF_HTTP_PASSWORD"]
    for stack in (FR, DE, NL):
        assert token not in (out / "stacks" / stack / "cdk.tf.json").read_text()
    states = {stack: _bridge_state(bridge_for_stacks, stack) for stack in (FR, DE, NL)}
    assert "module.server" in _addresses(states[DE]) and "module.net" in _addresses(states[DE])
    # The DNS stack read the instance's address from the sandbox-de state, through the bridge.
    assert "data.terraform_remote_state" in _addresses(states[NL])

    s3 = _client("s3", sandbox["sandbox-fr"].endpoint, "eu-west-3")
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket="webapp-assets")["TagSet"]}
    assert tags["fedstack:workload"] == "webapp" and tags["fedstack:stack"] == FR
    assert tags["fedstack:component"] == "assets"
    assert s3.get_bucket_versioning(Bucket="webapp-assets")["Status"] == "Enabled"

    ec2 = _client("ec2", sandbox["sandbox-de"].endpoint, "eu-central-1")
    found = ec2.describe_instances(
        Filters=[
            {"Name": "tag:fedstack:component", "Values": ["server"]},
            {"Name": "instance-state-name", "Values": ["running"]},
        ]
    )
    instances = [i for r in found["Reservations"] for i in r["Instances"]]
    assert len(instances) == 1
    tags = {t["Key"]: t["Value"] for t in instances[0]["Tags"]}
    assert tags["fedstack:stack"] == DE and tags["fedstack:workload"] == "webapp"
    address = instances[0]["PublicIpAddress"]

    records = nl_dns.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    www = [r for r in records if r["Name"].rstrip(".") == f"www.{zone}" and r["Type"] == "A"]
    assert [v["Value"] for v in www[0]["ResourceRecords"]] == [address]

    destroyed = _fedstack("destroy", str(app), "--out", str(out), env=env)
    assert {r["stack"]: r["status"] for r in destroyed["results"]} == {FR: "ok", DE: "ok", NL: "ok"}
    assert "module.server" not in _addresses(_bridge_state(bridge_for_stacks, DE))
    assert "webapp-assets" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    records = nl_dns.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    assert not [r for r in records if r["Type"] == "A"]
    left = ec2.describe_instances(
        Filters=[
            {"Name": "tag:fedstack:component", "Values": ["server"]},
            {"Name": "instance-state-name", "Values": ["pending", "running"]},
        ]
    )
    assert not left["Reservations"]
