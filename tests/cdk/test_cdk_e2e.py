"""End to end on the sandbox cloud: the example app deployed across three providers for real,
with every state in a real bridge (`backend "http"`, the token only in TF_HTTP_PASSWORD).

The deployment is the session's `webapp` (tests/webapp_helpers.py), shared with the exit's
end-to-end test when both run: these checks of the fresh deployment run first, the destroy
after the exit (which moves the assets from sandbox-fr to sandbox-it).

Runs under one CDK library only (`make test` leaves it out of the second venv): what it adds
over the synth tests is Terraform and the sandbox, which do not depend on the library.
"""

from __future__ import annotations

import httpx
import pytest
from sandbox_helpers import sandbox_client
from webapp_helpers import DE, FR, IT, NL, Webapp

from fedstack.exit import bucket_of

pytestmark = pytest.mark.slow


def _client(service: str, endpoint: str, region: str):  # type: ignore[no-untyped-def]
    return sandbox_client(service, endpoint, region)


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


@pytest.mark.webapp_stage(0)
def test_three_provider_workload_deploys_through_the_bridge_and_links_dns(webapp: Webapp) -> None:
    endpoints = webapp.endpoints
    assert {r["stack"]: r["status"] for r in webapp.deployed["results"]} == {
        FR: "ok",
        DE: "ok",
        NL: "ok",
    }
    token = webapp.bridge["TF_HTTP_PASSWORD"]
    for stack in (FR, DE, NL):
        assert token not in (webapp.out / "stacks" / stack / "cdk.tf.json").read_text()
    states = {stack: _bridge_state(webapp.bridge, stack) for stack in (FR, DE, NL)}
    assert "module.server" in _addresses(states[DE]) and "module.net" in _addresses(states[DE])
    # The DNS stack read the instance's address from the sandbox-de state, through the bridge.
    assert "data.terraform_remote_state" in _addresses(states[NL])

    s3 = _client("s3", endpoints["sandbox-fr"], "eu-west-3")
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket="webapp-assets")["TagSet"]}
    assert tags["fedstack:workload"] == "webapp" and tags["fedstack:stack"] == FR
    assert tags["fedstack:component"] == "assets"
    assert s3.get_bucket_versioning(Bucket="webapp-assets")["Status"] == "Enabled"

    ec2 = _client("ec2", endpoints["sandbox-de"], "eu-central-1")
    instances = _servers(ec2, "running")
    assert len(instances) == 1
    tags = {t["Key"]: t["Value"] for t in instances[0]["Tags"]}
    assert tags["fedstack:stack"] == DE and tags["fedstack:workload"] == "webapp"
    address = instances[0]["PublicIpAddress"]

    nl_dns = _client("route53", endpoints["sandbox-nl"], "eu-west-1")
    records = nl_dns.list_resource_record_sets(HostedZoneId=webapp.zone_id)["ResourceRecordSets"]
    www = [r for r in records if r["Name"].rstrip(".") == f"www.{webapp.zone}" and r["Type"] == "A"]
    assert [v["Value"] for v in www[0]["ResourceRecords"]] == [address]


@pytest.mark.webapp_stage(2)
def test_three_provider_workload_destroys_through_the_bridge(webapp: Webapp) -> None:
    """Destroys what the app places now: its assets at sandbox-it when the exit's test ran first."""
    exited = (webapp.app / "fedstack.exits.json").is_file()
    assets = IT if exited else FR
    destroyed = webapp.destroy()
    assert {r["stack"]: r["status"] for r in destroyed["results"]} == {
        assets: "ok",
        DE: "ok",
        NL: "ok",
    }
    endpoints = webapp.endpoints
    assert "module.server" not in _addresses(_bridge_state(webapp.bridge, DE))
    assert "module.assets" not in _addresses(_bridge_state(webapp.bridge, assets))
    for provider, region in (("sandbox-fr", "eu-west-3"), ("sandbox-it", "eu-south-1")):
        assert bucket_of(_client("s3", endpoints[provider], region), "assets") is None, provider
    nl_dns = _client("route53", endpoints["sandbox-nl"], "eu-west-1")
    records = nl_dns.list_resource_record_sets(HostedZoneId=webapp.zone_id)["ResourceRecordSets"]
    assert not [r for r in records if r["Type"] == "A"]
    assert not _servers(
        _client("ec2", endpoints["sandbox-de"], "eu-central-1"), "pending", "running"
    )


def _servers(ec2, *states: str) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    """The instances tagged as the app's server, in one of `states`."""
    found = ec2.describe_instances(
        Filters=[
            {"Name": "tag:fedstack:component", "Values": ["server"]},
            {"Name": "instance-state-name", "Values": list(states)},
        ]
    )
    return [i for r in found["Reservations"] for i in r["Instances"]]
