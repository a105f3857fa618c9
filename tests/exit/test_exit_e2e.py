"""`fedstack exit sandbox-fr` carried out on the sandbox: real Terraform, three moto providers.

One module-scoped deployment (storage, network and server at sandbox-fr, DNS at sandbox-nl)
with objects written before the move; the exit is interrupted right after the copy, resumed,
and run once more. Every test reads what that sequence left behind.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fedstack.catalog import load_catalog
from fedstack.contracts import read_exit_lock
from fedstack.demo import sandbox_client
from fedstack.exit import (
    ExitRun,
    StepRecord,
    bucket_of,
    carry_out_exit,
    estimate_data,
    plan_exit,
)
from fedstack.sandbox import SandboxServer
from fedstack.stacks import read_stacks, run_app, run_stacks

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
OBJECTS = {f"site/{n}.html": f"<p>{n}</p>".encode() * (n + 1) for n in range(8)}


class Interrupted(Exception):
    """Stands for Ctrl-C or a lost machine right after a step was recorded."""


def _client(service: str, provider: str, endpoints: dict[str, str]) -> Any:
    return sandbox_client(service, load_catalog(), provider, endpoints[provider])


@pytest.fixture(scope="module")
def exited(
    sandbox: dict[str, SandboxServer], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    app_dir = tmp_path_factory.mktemp("exit-app")
    shutil.copy(HERE / "exit_app.py", app_dir / "main.py")
    script = app_dir / "main.py"
    catalog = load_catalog()
    endpoints = {name: server.endpoint for name, server in sandbox.items()}
    _client("route53", "sandbox-nl", endpoints).create_hosted_zone(
        Name="exit.example.eu", CallerReference="fedstack-exit-test"
    )
    out = app_dir / "cdktf.out"
    run_app(script, out)
    results = run_stacks(read_stacks(out), "deploy", catalog=catalog)
    assert all(r.status == "ok" for r in results), results
    s3 = _client("s3", "sandbox-fr", endpoints)
    old_bucket = bucket_of(s3, "data")
    assert old_bucket is not None
    for key, body in OBJECTS.items():
        s3.put_object(Bucket=old_bucket, Key=key, Body=body, Metadata={"v": "1"})

    estimate, _ = plan_exit(script, "sandbox-fr")
    estimate_data(estimate, catalog, endpoints)

    seen: list[tuple[str, StepRecord]] = []

    def stop_after_copy(run: ExitRun, name: str, step: StepRecord) -> None:
        seen.append((name, step))
        if name == "copy":
            raise Interrupted

    with pytest.raises(Interrupted):
        carry_out_exit(
            script,
            "sandbox-fr",
            None,
            catalog=catalog,
            endpoints=endpoints,
            on_step=stop_after_copy,
        )
    first = [name for name, _ in seen]
    seen.clear()
    resumed = carry_out_exit(
        script,
        "sandbox-fr",
        None,
        catalog=catalog,
        endpoints=endpoints,
        keep_old=True,
        on_step=lambda run, name, step: seen.append((name, step)),
    )
    kept = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    confirmed = carry_out_exit(script, "sandbox-fr", None, catalog=catalog, endpoints=endpoints)
    again = subprocess.run(
        [sys.executable, "-m", "fedstack.cli", "exit", "sandbox-fr", str(app_dir), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return {
        "app": app_dir,
        "endpoints": endpoints,
        "old_bucket": old_bucket,
        "first": first,
        "resumed": resumed,
        "resumed_steps": [name for name, _ in seen],
        "estimate": estimate,
        "kept": kept,
        "confirmed": confirmed,
        "again": again,
        "journal": app_dir / ".fedstack-exit" / "sandbox-fr" / "copy-shop-data.jsonl",
    }


def test_interrupted_exit_resumes_after_the_copy_without_copying_again(exited) -> None:
    assert exited["first"] == ["synth", "deploy-new", "copy"]
    resumed: ExitRun = exited["resumed"]
    assert resumed.resumed_at == "repoint"
    assert exited["resumed_steps"] == ["repoint", "check", "lock", "destroy-old"]
    assert resumed.finished and resumed.done["destroy-old"].detail.startswith("kept")
    assert f"copied {len(OBJECTS)} object(s)" in resumed.done["copy"].detail
    lines = exited["journal"].read_text().splitlines()
    assert len(lines) == len(OBJECTS)  # each key copied once, never again


def test_plan_estimated_the_data_of_the_deployed_store(exited) -> None:
    [data] = exited["estimate"].data
    assert (data.bucket, data.objects) == (exited["old_bucket"], len(OBJECTS))
    assert data.bytes == sum(len(b) for b in OBJECTS.values())


def test_keep_old_keeps_the_old_bucket_until_a_run_without_it(exited) -> None:
    assert exited["old_bucket"] in exited["kept"]
    confirmed: ExitRun = exited["confirmed"]
    assert confirmed.resumed_at == "destroy-old" and confirmed.finished
    assert confirmed.done["destroy-old"].detail.startswith("destroy: shop-sandbox-fr-fr-par")
    assert confirmed.done["copy"] == exited["resumed"].done["copy"]  # not run again


def test_objects_are_at_the_new_provider_and_the_old_bucket_is_gone(exited) -> None:
    endpoints = exited["endpoints"]
    new = _client("s3", "sandbox-de", endpoints)
    bucket = bucket_of(new, "data")
    assert bucket is not None
    for key, body in OBJECTS.items():
        got = new.get_object(Bucket=bucket, Key=key)
        assert got["Body"].read() == body and got["Metadata"] == {"v": "1"}
    old = _client("s3", "sandbox-fr", endpoints)
    names = [b["Name"] for b in old.list_buckets()["Buckets"]]
    assert exited["old_bucket"] not in names
    assert "drift-free" in exited["resumed"].done["check"].detail
    assert f"{len(OBJECTS)} object(s) verified" in exited["resumed"].done["check"].detail


def test_dns_record_points_at_the_moved_server(exited) -> None:
    endpoints = exited["endpoints"]
    ec2 = _client("ec2", "sandbox-de", endpoints)
    addresses = {
        i.get("PublicIpAddress")
        for r in ec2.describe_instances()["Reservations"]
        for i in r["Instances"]
        if i["State"]["Name"] == "running"
        and {"Key": "fedstack:component", "Value": "server"} in i.get("Tags", [])
    }
    route53 = _client("route53", "sandbox-nl", endpoints)
    zone = next(
        z["Id"]
        for z in route53.list_hosted_zones()["HostedZones"]
        if z["Name"] == "exit.example.eu."
    )
    records = route53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
    [www] = [r for r in records if r["Name"] == "www.exit.example.eu." and r["Type"] == "A"]
    assert {v["Value"] for v in www["ResourceRecords"]} <= addresses and addresses


def test_exit_is_kept_and_a_second_run_is_a_noop(exited) -> None:
    assert read_exit_lock(exited["app"]).excluded() == ("sandbox-fr",)
    again = exited["again"]
    assert again.returncode == 0, again.stderr
    run = json.loads(again.stdout)
    assert run["noop"] is True and run["steps"] == {}
