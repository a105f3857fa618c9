"""The sandbox cloud: real moto servers on loopback, started and stopped by fedstack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from fedstack.errors import SandboxError
from fedstack.sandbox import SANDBOX_CREDENTIALS, Sandbox


def _moto_pids_for(home: Path) -> set[int]:
    """Pids of moto servers recorded in `home`'s state file that are still alive."""
    state = home / "sandbox" / "state.json"
    if not state.exists():
        return set()
    servers = json.loads(state.read_text())["servers"].values()
    return {s["pid"] for s in servers if Path(f"/proc/{s['pid']}/cmdline").exists()}


def _all_moto_ports() -> set[str]:
    ports = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"moto.server" in args:
                ports.add(args[args.index(b"-p") + 1].decode())
    return ports


def _fedstack(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fedstack.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "FEDSTACK_HOME": str(home)},
    )


def test_up_twice_leaves_one_set_and_down_leaves_none(tmp_path: Path) -> None:
    first = _fedstack("sandbox", "up", "--json", home=tmp_path)
    assert first.returncode == 0, first.stderr
    servers = json.loads(first.stdout)
    assert sorted(servers) == ["sandbox-de", "sandbox-fr", "sandbox-it", "sandbox-nl"]
    assert len({s["endpoint"] for s in servers.values()}) == 4
    for server in servers.values():
        assert server["endpoint"].startswith("http://127.0.0.1:")

    second = _fedstack("sandbox", "up", "--json", home=tmp_path)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == servers, "a second `up` starts nothing new"
    assert _moto_pids_for(tmp_path) == {s["pid"] for s in servers.values()}
    ports = {s["endpoint"].rsplit(":", 1)[1] for s in servers.values()}
    assert ports <= _all_moto_ports()

    status = _fedstack("sandbox", "status", "--json", home=tmp_path)
    assert {name: s["running"] for name, s in json.loads(status.stdout).items()} == {
        name: True for name in servers
    }

    down = _fedstack("sandbox", "down", home=tmp_path)
    assert down.returncode == 0, down.stderr
    assert down.stdout.count("stopped ") == 4
    assert not ports & _all_moto_ports(), "every server `up` started is gone"
    assert json.loads(_fedstack("sandbox", "status", "--json", home=tmp_path).stdout) == {}


def test_down_stops_only_what_up_started(tmp_path: Path) -> None:
    mine, other = tmp_path / "mine", tmp_path / "other"
    Sandbox(other).up(["sandbox-de"])
    try:
        started = Sandbox(mine).up(["sandbox-fr"])
        Sandbox(mine).down()
        assert str(started["sandbox-fr"].port) not in _all_moto_ports()
        assert [s.running for s in Sandbox(other).status()] == [True]
    finally:
        Sandbox(other).down()


def test_sandbox_providers_are_separate_clouds(sandbox) -> None:
    clients = {
        name: boto3.client(
            "s3",
            endpoint_url=server.endpoint,
            region_name="eu-west-1",
            aws_access_key_id=SANDBOX_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=SANDBOX_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )
        for name, server in sandbox.items()
    }
    clients["sandbox-fr"].create_bucket(
        Bucket="only-in-fr", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    try:
        assert "only-in-fr" in [b["Name"] for b in clients["sandbox-fr"].list_buckets()["Buckets"]]
        assert "only-in-fr" not in [
            b["Name"] for b in clients["sandbox-de"].list_buckets()["Buckets"]
        ]
    finally:
        clients["sandbox-fr"].delete_bucket(Bucket="only-in-fr")


def test_unknown_sandbox_provider_is_one_clear_line(tmp_path: Path) -> None:
    done = _fedstack("sandbox", "up", "-p", "sandbox-xx", home=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "fedstack: error: unknown sandbox provider sandbox-xx; the catalog lists "
        "sandbox-fr, sandbox-de, sandbox-nl, sandbox-it"
    ]
    with pytest.raises(SandboxError):
        Sandbox(tmp_path).up(["sandbox-xx"])
    assert _moto_pids_for(tmp_path) == set()


def test_corrupt_state_file_is_a_clear_error(tmp_path: Path) -> None:
    state = tmp_path / "sandbox" / "state.json"
    state.parent.mkdir(parents=True)
    state.write_text("{not json")
    done = _fedstack("sandbox", "status", home=tmp_path)
    assert done.returncode == 1
    assert "is not a sandbox state file" in done.stderr
    assert "Traceback" not in done.stderr
