"""`fedstack exit sandbox-fr` on the demo app, through the real CLI: Terraform, moto, the journal.

One deployment of examples/federated-webapp across three of the four sandbox providers (assets
at sandbox-fr, network and server at sandbox-de, the DNS records at sandbox-nl), its states in
a real bridge: the session's `webapp` (tests/webapp_helpers.py), which the CDK end-to-end test
checks before and destroys after these tests when both run. Objects are written before the
move, one of them over the part size. Then, in sequence, as a user would run them: the plan;
the exit, stopped with Ctrl-C on a terminal right after its copy step; the resume with
--keep-old; the confirming run; a no-op run; and an exit that has no candidate under the
policy. Every test reads what that sequence left.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pty_helpers import FEDSTACK, ctrl_c_in_a_terminal
from webapp_helpers import Webapp

from fedstack.catalog import load_catalog
from fedstack.contracts import read_exit_lock
from fedstack.demo import sandbox_client
from fedstack.exit import STEPS, bucket_of

pytestmark = pytest.mark.slow

PART_MIB = 5
SMALL = {f"site/{n}.html": f"<p>{n}</p>".encode() * (n + 1) for n in range(6)}
BIG_KEY, BIG = "media/intro.bin", bytes(range(256)) * (11 * 1024 * 4)  # 11 MiB: 3 parts of 5
STEPS_FILE = Path(".fedstack-exit") / "sandbox-fr" / "steps.json"
JOURNAL = Path(".fedstack-exit") / "sandbox-fr" / "copy-webapp-assets.jsonl"


def _fedstack(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FEDSTACK, *args], capture_output=True, text=True, env=env, timeout=600, check=False
    )


def _client(service: str, provider: str, endpoints: dict[str, str]) -> Any:
    return sandbox_client(service, load_catalog(), provider, endpoints[provider])


def _records(webapp: Webapp) -> dict[tuple[str, str], list[str]]:
    route53 = _client("route53", "sandbox-nl", webapp.endpoints)
    sets = route53.list_resource_record_sets(HostedZoneId=webapp.zone_id)["ResourceRecordSets"]
    return {
        (r["Name"], r["Type"]): [v["Value"] for v in r.get("ResourceRecords", [])] for r in sets
    }


def _buckets(s3: Any) -> list[str]:
    return [b["Name"] for b in s3.list_buckets()["Buckets"]]


def _run(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads(result.stdout))


@pytest.fixture(scope="module")
def demo(webapp: Webapp) -> dict[str, Any]:
    """The demo app deployed (the session's `webapp`), objects written at sandbox-fr."""
    endpoints = webapp.endpoints
    s3 = _client("s3", "sandbox-fr", endpoints)
    bucket = bucket_of(s3, "assets")
    assert bucket is not None
    for key, body in SMALL.items():
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType="text/html",
            Metadata={"v": "1"},
            Tagging="class=public",
        )
    s3.put_object(Bucket=bucket, Key=BIG_KEY, Body=BIG, Metadata={"v": "2"})
    return {
        "app": webapp.app,
        "env": webapp.env,
        "endpoints": endpoints,
        "bucket": bucket,
        "records": _records(webapp),
        "zone": webapp.zone,
    }


@pytest.fixture(scope="module")
def exited(demo: dict[str, Any], webapp: Webapp) -> dict[str, Any]:
    """The sequence of CLI runs; what each printed and what the clouds held in between."""
    app, env, endpoints = demo["app"], demo["env"], demo["endpoints"]
    fr, it = _client("s3", "sandbox-fr", endpoints), _client("s3", "sandbox-it", endpoints)
    seen: dict[str, Any] = {}
    seen["plan"] = _run(_fedstack("exit", "sandbox-fr", str(app), "--plan-only", "--json", env=env))

    pressed = ctrl_c_in_a_terminal(
        ["exit", "sandbox-fr", str(app), "--part-size", str(PART_MIB)],
        ready=lambda pid, screen: "exit copy:" in screen,
        env=env,
    )
    seen["pressed"] = pressed
    seen["after_ctrl_c"] = json.loads((app / STEPS_FILE).read_text())
    seen["journal_after_ctrl_c"] = (app / JOURNAL).read_text()
    seen["old_after_ctrl_c"] = fr.list_objects_v2(Bucket=demo["bucket"]).get("KeyCount")

    resume = ["exit", "sandbox-fr", str(app), "--part-size", str(PART_MIB), "--json"]
    seen["resumed"] = _run(_fedstack(*resume, "--keep-old", env=env))
    seen["kept"] = _buckets(fr)
    seen["confirmed"] = _run(_fedstack(*resume, env=env))
    seen["gone"] = _buckets(fr)
    seen["again"] = _run(_fedstack(*resume, env=env))
    seen["journal"] = (app / JOURNAL).read_text()
    seen["new_bucket"] = bucket_of(it, "assets")
    seen["records"] = _records(webapp)
    seen["placement"] = _run(_fedstack("plan-placement", str(app), "--json", env=env))
    seen["blocked"] = _fedstack("exit", "sandbox-de", str(app), env=env)
    return seen


def test_plan_lists_the_store_move_and_the_data_to_copy(demo, exited) -> None:
    plan = exited["plan"]
    assert [(m["component"], m["source"], m["target"]) for m in plan["moves"]] == [
        ("assets", "sandbox-fr/fr-par", "sandbox-it/it-mil")
    ]
    assert {s["component"] for s in plan["stays"]} == {"net", "server", "www", "assets-txt"}
    assert plan["data_to_copy"]["objects"] == len(SMALL) + 1
    assert plan["data_to_copy"]["bytes"] == sum(map(len, SMALL.values())) + len(BIG)


def test_ctrl_c_after_the_copy_keeps_the_old_bucket_and_the_resume_copies_nothing_again(
    demo, exited
) -> None:
    assert exited["pressed"].code != 0
    steps = exited["after_ctrl_c"]["steps"]
    assert set(steps) == {"synth", "deploy-new", "copy"}, exited["pressed"].screen[-2000:]
    assert exited["old_after_ctrl_c"] == len(SMALL) + 1  # nothing gone before verification
    resumed = exited["resumed"]
    assert resumed["resumed_at"] == "repoint"
    assert resumed["steps"]["copy"] == steps["copy"]  # the recorded copy, not a second one
    # Each key journaled once (the big one also with its upload): nothing was copied again.
    assert exited["journal"] == exited["journal_after_ctrl_c"]
    keys = [json.loads(line)["key"] for line in exited["journal"].splitlines()]
    assert sorted(keys) == sorted([*SMALL, BIG_KEY, BIG_KEY])


def test_objects_written_before_the_move_are_at_the_new_provider_verified(demo, exited) -> None:
    it = _client("s3", "sandbox-it", demo["endpoints"])
    bucket = exited["new_bucket"]
    assert bucket is not None
    for key, body in SMALL.items():
        got = it.get_object(Bucket=bucket, Key=key)
        assert got["Body"].read() == body and got["Metadata"] == {"v": "1"}
        assert got["ContentType"] == "text/html"
        tags = it.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]
        assert tags == [{"Key": "class", "Value": "public"}]
    big = it.get_object(Bucket=bucket, Key=BIG_KEY)
    assert big["ETag"].strip('"').endswith("-3")  # copied in three parts
    assert big["Body"].read() == BIG and big["Metadata"] == {"v": "2"}
    check = exited["resumed"]["steps"]["check"]["detail"]
    assert "drift-free" in check and f"{len(SMALL) + 1} object(s) verified" in check


def test_old_bucket_is_gone_only_after_the_check(demo, exited) -> None:
    assert demo["bucket"] in exited["kept"]  # --keep-old: verified, still kept
    assert exited["resumed"]["steps"]["destroy-old"]["detail"].startswith("kept")
    confirmed = exited["confirmed"]
    assert confirmed["resumed_at"] == "destroy-old"
    assert set(confirmed["steps"]) == set(STEPS) and confirmed["finished"] is True
    assert confirmed["steps"]["destroy-old"]["detail"].startswith(
        "destroy: webapp-sandbox-fr-fr-par"
    )
    assert demo["bucket"] not in exited["gone"]


def test_dns_record_of_the_assets_points_at_the_new_bucket_and_www_is_unchanged(
    demo, exited
) -> None:
    endpoints = demo["endpoints"]
    txt = (f"_assets.{demo['zone']}.", "TXT")
    before, after = demo["records"][txt], exited["records"][txt]
    assert endpoints["sandbox-fr"] in before[0] and f"bucket={demo['bucket']}" in before[0]
    assert endpoints["sandbox-it"] in after[0] and f"bucket={exited['new_bucket']}" in after[0]
    www = (f"www.{demo['zone']}.", "A")
    assert exited["records"][www] == demo["records"][www]  # the server did not move
    repoint = exited["resumed"]["steps"]["repoint"]["detail"]
    assert repoint.startswith("deploy: webapp-sandbox-nl-nl-ams")
    assert repoint.endswith("unchanged: webapp-sandbox-de-de-fra")


def test_policy_still_passes_and_a_second_run_is_a_noop(demo, exited) -> None:
    placement = exited["placement"]
    assert placement["policy"] == "eu-sovereign"
    placed = {d["component"]: d["provider"] for w in placement["workloads"] for d in w["decisions"]}
    assert placed == {
        "assets": "sandbox-it",
        "net": "sandbox-de",
        "server": "sandbox-de",
        "www": "sandbox-nl",
        "assets-txt": "sandbox-nl",
    }
    assert read_exit_lock(demo["app"]).excluded() == ("sandbox-fr",)
    again = exited["again"]
    assert again["noop"] is True and again["steps"] == {}


def test_exit_without_a_candidate_is_one_line_naming_the_rule(demo, exited) -> None:
    blocked = exited["blocked"]
    assert blocked.returncode == 2
    [line] = blocked.stderr.strip().splitlines()
    assert line.startswith(
        "fedstack: error: cannot leave sandbox-de: webapp/www (dns_record) has no placement"
    )
    assert "(policy eu-sovereign)" in line and "requirement not-with refused" in line
    assert not (demo["app"] / ".fedstack-exit" / "sandbox-de").exists()  # nothing was started
