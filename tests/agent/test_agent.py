"""`fedstack agent run` against the Fulcrum-protocol server, with a real bridge and sandbox.

Fulcrum core itself cannot run here: fulcrum_server.py stands in for it, written from Fulcrum's
OpenAPI documents and checking every body against them. Everything else is real: the agent is
a `fedstack agent run` process, Terraform applies the object_storage/sandbox module against the
sandbox's moto server, and the state lives in a `fedstack bridge serve` process. The tests run
in order on one agent process (one kill and restart in the middle).
"""

from __future__ import annotations

import json
import signal
from typing import Any

import httpx
import pytest
from bridge_helpers import lock_info, wait_until
from cli_helpers import run_fedstack
from conftest import PROVIDER, AgentProcess, BridgeAccess
from fulcrum_server import FulcrumServer
from sandbox_helpers import sandbox_client

pytestmark = pytest.mark.slow

_FIRST: dict[str, Any] = {}
_SECOND: dict[str, Any] = {}


def _s3(sandbox: dict[str, Any]) -> Any:
    return sandbox_client("s3", sandbox[PROVIDER].endpoint, "eu-west-3")


def _buckets(sandbox: dict[str, Any]) -> set[str]:
    return {b["Name"] for b in _s3(sandbox).list_buckets()["Buckets"]}


def _finished(
    fulcrum: FulcrumServer, job_id: str, agent: AgentProcess, timeout: float = 180
) -> dict[str, Any]:
    def done() -> bool:
        if not agent.running():
            raise AssertionError(f"the agent exited: {agent.output()[-3000:]}")
        return fulcrum.jobs[job_id]["status"] in ("Completed", "Failed")

    wait_until(done, timeout=timeout, what=f"job {job_id} to finish", interval=0.2)
    return fulcrum.jobs[job_id]


def _state(bridge: BridgeAccess, consumer: str, service: str) -> httpx.Response:
    return httpx.get(
        f"{bridge.url}/v1/states/{consumer}/{service}",
        headers={"Authorization": f"Bearer {bridge.token}"},
        timeout=30,
    )


def _lock(bridge: BridgeAccess, service: dict[str, Any]) -> httpx.Response:
    return httpx.get(
        f"{bridge.url}/v1/states/{service['consumerId']}/{service['id']}/lock",
        headers={"Authorization": f"Bearer {bridge.token}"},
        timeout=30,
    )


def test_agent_connects_and_reads_itself(agent: AgentProcess, fulcrum: FulcrumServer) -> None:
    assert fulcrum.status_history[0] == "Connected"
    assert fulcrum.calls_to("GET", "/api/v1/agents/me")
    wait_until(
        lambda: bool(fulcrum.calls_to("GET", "/api/v1/jobs/pending")), timeout=30, what="a poll"
    )
    assert fulcrum.contract_problems() == []


def test_create_deploys_a_bucket_and_completes_with_its_endpoint(
    agent: AgentProcess, fulcrum: FulcrumServer, agent_bridge: BridgeAccess, sandbox: dict[str, Any]
) -> None:
    owner = fulcrum.store_secret("team-sovereign")
    service = fulcrum.create_service(
        fulcrum.object_storage,  # type: ignore[attr-defined]
        "reports",
        {"name": "agent-reports-bucket", "labels": {"owner": owner, "env": "test"}},
    )
    job_id = next(j for j in fulcrum.jobs if fulcrum.jobs[j]["serviceId"] == service["id"])
    job = _finished(fulcrum, job_id, agent)
    assert job["status"] == "Completed", job.get("errorMessage")
    assert service["status"] == "Ready"
    assert service["properties"]["endpoint"] == sandbox[PROVIDER].endpoint
    assert service["properties"]["bucket_name"] == "agent-reports-bucket"
    assert service["agentInstanceId"] == "agent-reports-bucket"
    assert (
        service["agentInstanceData"]["state"]
        == f"/v1/states/{service['consumerId']}/{service['id']}"
    )
    # The label came from the vault: on the bucket in clear, in the agent's files only as a reference.
    tags = _s3(sandbox).get_bucket_tagging(Bucket="agent-reports-bucket")["TagSet"]
    assert {t["Key"]: t["Value"] for t in tags} == {"owner": "team-sovereign", "env": "test"}
    assert fulcrum.calls_to("GET", f"/api/v1/vault/secrets/{owner.removeprefix('vault://')}")
    root = (
        agent.work_dir / "services" / service["consumerId"] / service["id"] / "main.tf.json"
    ).read_text()
    assert "team-sovereign" not in root and "team-sovereign" not in agent.output()
    assert "team-sovereign" not in (agent.work_dir / "journal.json").read_text()
    state = _state(agent_bridge, service["consumerId"], service["id"])
    assert state.status_code == 200 and json.loads(state.content)["resources"]
    assert len(fulcrum.calls_to("POST", f"/api/v1/jobs/{job_id}/claim")) == 1
    assert agent.journal() == {}
    assert fulcrum.contract_problems() == []
    _FIRST.update(service)


def test_update_applies_the_new_properties(
    agent: AgentProcess, fulcrum: FulcrumServer, sandbox: dict[str, Any]
) -> None:
    service = fulcrum.services[_FIRST["id"]]
    job_id = fulcrum.new_job(service["id"], "update", {"versioning": True})
    job = _finished(fulcrum, job_id, agent)
    assert job["status"] == "Completed", job.get("errorMessage")
    assert service["status"] == "Ready" and service["properties"]["versioning"] is True
    versioning = _s3(sandbox).get_bucket_versioning(Bucket="agent-reports-bucket")
    assert versioning["Status"] == "Enabled"


def test_a_placement_the_policy_refuses_fails_with_the_rule_before_anything_is_created(
    agent: AgentProcess, fulcrum: FulcrumServer, agent_bridge: BridgeAccess, sandbox: dict[str, Any]
) -> None:
    before = _buckets(sandbox)
    service = fulcrum.create_service(
        fulcrum.object_storage,  # type: ignore[attr-defined]
        "outside",
        {"name": "agent-outside-bucket", "location": "ca-bhs"},
    )
    job_id = next(j for j in fulcrum.jobs if fulcrum.jobs[j]["serviceId"] == service["id"])
    job = _finished(fulcrum, job_id, agent, timeout=60)
    assert job["status"] == "Failed"
    assert job["errorMessage"].startswith("policy: policy eu-sovereign: data-location-eu:")
    assert "CA" in job["errorMessage"]
    assert service["status"] == "Refused"  # the lifecycle's ^policy: error transition
    assert _buckets(sandbox) == before
    assert _state(agent_bridge, service["consumerId"], service["id"]).status_code in (204, 404)


def test_a_terraform_error_fails_the_job_with_terraforms_reason(
    agent: AgentProcess, fulcrum: FulcrumServer, sandbox: dict[str, Any]
) -> None:
    service = fulcrum.create_service(
        fulcrum.object_storage,  # type: ignore[attr-defined]
        "bad-name",
        {"name": "Not_A_Bucket_Name"},
    )
    job_id = next(j for j in fulcrum.jobs if fulcrum.jobs[j]["serviceId"] == service["id"])
    job = _finished(fulcrum, job_id, agent)
    assert job["status"] == "Failed"
    assert job["errorMessage"].startswith("terraform: ")
    assert "bucket name must be 3 to 63 lower-case" in job["errorMessage"]
    assert service["status"] == "Error"
    assert "not_a_bucket_name" not in {b.lower() for b in _buckets(sandbox)}


def test_drift_and_compliance_are_posted_as_metric_entries(
    agent: AgentProcess, fulcrum: FulcrumServer, sandbox: dict[str, Any]
) -> None:
    _s3(sandbox).put_bucket_tagging(
        Bucket="agent-reports-bucket",
        Tagging={
            "TagSet": [{"Key": "owner", "Value": "someone-else"}, {"Key": "env", "Value": "test"}]
        },
    )
    seen = len(fulcrum.metric_entries)
    agent.signal(signal.SIGUSR1)

    def posted() -> bool:
        names = {e["typeName"] for e in fulcrum.metric_entries[seen:]}
        return {"fedstack.drift.attributes", "fedstack.compliance.findings"} <= names

    wait_until(posted, timeout=120, what="drift metric entries", interval=0.3)
    entries = [e for e in fulcrum.metric_entries[seen:] if e["serviceId"] == _FIRST["id"]]
    drift = {
        e["resourceId"]: e["value"] for e in entries if e["typeName"] == "fedstack.drift.attributes"
    }
    assert drift["module.component.aws_s3_bucket.this"] >= 1
    assert drift["module.component.aws_s3_bucket_versioning.this[0]"] == 0
    compliance = [e for e in entries if e["typeName"] == "fedstack.compliance.findings"]
    assert compliance and compliance[0]["value"] == 0
    assert fulcrum.contract_problems() == []


def test_the_reconcile_action_repairs_the_drift(
    agent: AgentProcess, fulcrum: FulcrumServer, sandbox: dict[str, Any]
) -> None:
    service = fulcrum.services[_FIRST["id"]]
    job_id = fulcrum.new_job(service["id"], "reconcile")
    job = _finished(fulcrum, job_id, agent)
    assert job["status"] == "Completed", job.get("errorMessage")
    assert service["status"] == "Ready"
    tags = _s3(sandbox).get_bucket_tagging(Bucket="agent-reports-bucket")["TagSet"]
    assert {t["Key"]: t["Value"] for t in tags} == {"owner": "team-sovereign", "env": "test"}


def test_an_agent_killed_mid_apply_resumes_the_job_once_on_restart(
    agent: AgentProcess, fulcrum: FulcrumServer, agent_bridge: BridgeAccess, sandbox: dict[str, Any]
) -> None:
    service = fulcrum.create_service(
        fulcrum.object_storage,  # type: ignore[attr-defined]
        "interrupted",
        {"name": "agent-interrupted-bucket"},
    )
    job_id = next(j for j in fulcrum.jobs if fulcrum.jobs[j]["serviceId"] == service["id"])

    def locked_while_applying() -> bool:
        if agent.journal().get(job_id, {}).get("phase") != "applying":
            return False
        return _lock(agent_bridge, service).status_code == 200

    wait_until(locked_while_applying, timeout=180, what="Terraform to take the lock", interval=0.05)
    agent.kill_session()
    assert fulcrum.jobs[job_id]["status"] == "Processing"
    assert _lock(agent_bridge, service).status_code == 200  # the killed apply's lock is left
    agent.start()
    job = _finished(fulcrum, job_id, agent)
    assert job["status"] == "Completed", job.get("errorMessage")
    assert service["status"] == "Ready"
    assert "agent-interrupted-bucket" in _buckets(sandbox)
    assert len(fulcrum.calls_to("POST", f"/api/v1/jobs/{job_id}/claim")) == 1
    assert len(fulcrum.calls_to("POST", f"/api/v1/jobs/{job_id}/complete")) == 1
    assert f"job {job_id}: resuming create from phase applying" in agent.output()
    assert f"job {job_id}: released the lock of the interrupted apply" in agent.output()
    assert _lock(agent_bridge, service).status_code == 204
    assert agent.journal() == {}
    wait_until(lambda: fulcrum.agent["status"] == "Connected", timeout=30, what="Connected again")
    _SECOND.update(service)


def test_a_service_locked_by_another_holder_fails_as_locked_and_changes_nothing(
    agent: AgentProcess, fulcrum: FulcrumServer, agent_bridge: BridgeAccess, sandbox: dict[str, Any]
) -> None:
    service = fulcrum.services[_SECOND["id"]]
    other = lock_info(who="other-agent@elsewhere")
    url = f"{agent_bridge.url}/v1/states/{service['consumerId']}/{service['id']}/lock"
    headers = {"Authorization": f"Bearer {agent_bridge.token}"}
    assert httpx.post(url, json=other, headers=headers, timeout=30).status_code == 200
    try:
        job_id = fulcrum.new_job(service["id"], "update", {"versioning": True})
        job = _finished(fulcrum, job_id, agent)
    finally:
        httpx.request("DELETE", url, json={"ID": other["ID"]}, headers=headers, timeout=30)
    assert job["status"] == "Failed"
    assert job["errorMessage"].startswith("locked: ")
    assert service["status"] == "Ready"  # ^(quota|locked): leaves the service where it was
    versioning = _s3(sandbox).get_bucket_versioning(Bucket="agent-interrupted-bucket")
    assert versioning.get("Status") != "Enabled"


def test_delete_destroys_the_buckets(
    agent: AgentProcess, fulcrum: FulcrumServer, agent_bridge: BridgeAccess, sandbox: dict[str, Any]
) -> None:
    services = [fulcrum.services[_FIRST["id"]], fulcrum.services[_SECOND["id"]]]
    jobs = [fulcrum.new_job(service["id"], "delete") for service in services]
    for job_id, service in zip(jobs, services, strict=True):
        job = _finished(fulcrum, job_id, agent)
        assert job["status"] == "Completed", job.get("errorMessage")
        assert service["status"] == "Deleted"
        state = json.loads(_state(agent_bridge, service["consumerId"], service["id"]).content)
        assert state["resources"] == []
        assert not (agent.work_dir / "services" / service["consumerId"] / service["id"]).exists()
    assert {"agent-reports-bucket", "agent-interrupted-bucket"}.isdisjoint(_buckets(sandbox))


def test_a_failed_health_check_reports_error_then_connected(
    agent: AgentProcess, fulcrum: FulcrumServer
) -> None:
    fulcrum.me_unavailable = True
    try:
        wait_until(lambda: fulcrum.agent["status"] == "Error", timeout=30, what="status Error")
    finally:
        fulcrum.me_unavailable = False
    wait_until(lambda: fulcrum.agent["status"] == "Connected", timeout=30, what="Connected again")


def test_a_clean_stop_reports_disconnected(agent: AgentProcess, fulcrum: FulcrumServer) -> None:
    assert agent.stop() == 0
    assert fulcrum.agent["status"] == "Disconnected"
    assert fulcrum.contract_problems() == []


def test_service_types_and_tags_follow_fulcrums_schemas() -> None:
    import fulcrum_schemas as schemas
    from fulcrum_server import problems

    done = run_fedstack("agent", "service-types")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert [t["name"] for t in body["serviceTypes"]] == [
        f"fedstack.{c}"
        for c in ("object_storage", "network", "compute", "kubernetes", "dns_record")
    ]
    for service_type in body["serviceTypes"]:
        assert problems(schemas.strict(schemas.CREATE_SERVICE_TYPE_REQ), service_type) == []
    kubernetes = body["serviceTypes"][3]["propertySchema"]["properties"]
    assert kubernetes["kubeconfig"]["secret"] == {"type": "persistent"}
    assert problems(schemas.strict(schemas.CREATE_AGENT_TYPE_REQ), body["agentType"]) == []
    tags = run_fedstack("agent", "tags", "--provider", "sandbox-fr", "--region", "ca-bhs", "--json")
    assert tags.returncode == 0, tags.stderr
    found = json.loads(tags.stdout)
    assert "country:ca" in found and "headquarters:eu" in found
    assert "location:eu" not in found and "cert:secnumcloud" in found
