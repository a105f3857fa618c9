"""`fedstack demo` end to end, through the console script, as a user runs it.

Real parts only: the demo starts its own moto servers and bridge, runs real Terraform and the
CDK app, changes resources with boto3, and posts drift to the bridge. Each test sends Ctrl-C
the way a terminal does (SIGINT to the whole process group, Terraform included) and checks
that nothing is left: no moto server, no bridge port, no demo folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from cli_helpers import FEDSTACK
from sandbox_helpers import sandbox_client

FR, DE, NL = "webapp-sandbox-fr-fr-par", "webapp-sandbox-de-de-fra", "webapp-sandbox-nl-nl-ams"


class _Demo:
    """A running `fedstack demo`: stdout and stderr collected by threads, waited on with deadlines."""

    def __init__(self, *args: str, home: Path) -> None:
        env = {
            **os.environ,
            "FEDSTACK_HOME": str(home),
            "COLUMNS": "200",
            "CHECKPOINT_DISABLE": "1",
        }
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        self.proc = subprocess.Popen(
            [FEDSTACK, "demo", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,  # its own process group, as in a terminal
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self._changed = threading.Condition()
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()

    def _read(self, stream, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            with self._changed:
                lines.append(line)
                self._changed.notify_all()

    @property
    def stdout(self) -> str:
        return "".join(self.out)

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    def wait_for(self, pattern: str, *, in_stderr: bool = False, timeout: float) -> re.Match[str]:
        """The first match of pattern in the output, waiting up to timeout seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = re.search(pattern, self.stderr if in_stderr else self.stdout)
                if found:
                    return found
                left = deadline - time.monotonic()
                assert left > 0 and self.proc.poll() is None, (
                    f"no {pattern!r} (exit {self.proc.poll()}):\n{self.stdout[-3000:]}\n{self.stderr[-3000:]}"
                )
                self._changed.wait(min(left, 1.0))

    def kill(self, home: Path) -> None:
        """After a failed test: kill the demo and the sandbox servers it recorded (own sessions)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        for state in (home / "demo").glob("run-*/sandbox/state.json"):
            for server in json.loads(state.read_text())["servers"].values():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server["pid"], signal.SIGKILL)

    def ctrl_c(self, timeout: float) -> int:
        """SIGINT to the process group (what Ctrl-C in a terminal does); its exit code."""
        os.killpg(self.proc.pid, signal.SIGINT)
        return self.proc.wait(timeout=timeout)


def _started(home: Path) -> tuple[Path, dict]:  # type: ignore[type-arg]
    """The demo's run folder and its sandbox servers (from the sandbox state file it wrote)."""
    runs = list((home / "demo").glob("run-*"))
    assert len(runs) == 1, runs
    return runs[0], json.loads((runs[0] / "sandbox" / "state.json").read_text())["servers"]


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def _answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=2)
    except httpx.TransportError:
        return False
    return True


def _assert_nothing_left(run_dir: Path, servers: dict, bridge_url: str) -> None:  # type: ignore[type-arg]
    assert servers and not [s["pid"] for s in servers.values() if _alive(s["pid"])]
    assert not [s for s in servers.values() if _answers(f"http://{s['host']}:{s['port']}")]
    assert not _answers(bridge_url + "/healthz")
    assert not run_dir.exists()


@pytest.fixture
def demo_home(tmp_path: Path, fedstack_home: Path) -> Path:
    """A FEDSTACK_HOME of its own for the demo, sharing the session's warm plugin cache."""
    home = tmp_path / "home"
    home.mkdir()
    for name in os.listdir(fedstack_home):
        if name not in ("demo", "sandbox"):
            (home / name).symlink_to(fedstack_home / name)
    return home


@pytest.mark.slow
def test_demo_shows_placement_inventory_drift_and_dashboard_then_ctrl_c_cleans_up(
    demo_home: Path, tmp_path: Path
) -> None:
    demo = _Demo("--keep", home=demo_home)
    try:
        ready = demo.wait_for(
            r"dashboard: (http://127\.0\.0\.1:\d+/dashboard) \(log in with any user name "
            r"and the token in (\S+)\)",
            timeout=420,
        )
        out = demo.stdout
        # Placement under the EU policy, with the reasons candidates were refused.
        assert "placement under policy eu-sovereign" in out
        # Off a terminal the tables are Markdown rows at full width (`|`); on one, box tables.
        assert re.search(r"assets\s*[│|]\s*object_storage\s*[│|]\s*sandbox-fr/fr-par", out)
        assert re.search(r"www\s*[│|]\s*dns_record\s*[│|]\s*sandbox-nl/nl-ams", out)
        assert "data-location-eu: fail: sandbox-fr/ca-bhs is in CA, outside the EEA" in out
        # The inventory from the bridge: rows at three providers.
        for provider, region, country, kind in [
            ("sandbox-fr", "fr-par", "FR", "aws_s3_bucket"),
            ("sandbox-de", "de-fra", "DE", "aws_instance"),
            ("sandbox-nl", "nl-ams", "NL", "aws_route53_record"),
        ]:
            assert re.search(
                rf"{provider}\s*[│|]\s*{region}\s*[│|]\s*{country}\s*[│|]\s*\S+\s*[│|]\s*{kind}\s",
                out,
            ), provider
        assert "across 3 providers: sandbox-de, sandbox-fr, sandbox-nl" in out
        # The drift report names the changed resources and attributes; the accepted drift is ignored.
        assert "## ⚠️ fedstack drift: drift found" in out
        assert (
            "| <code>module.assets.aws_s3_bucket.this</code> | changed | <code>tags.team</code> | platform | marketing |"
            in out
        )
        assert "<code>tags.cost-center</code> | — | cc-4711" in out
        assert (
            "| <code>module.server.aws_instance.this</code> | changed | <code>tags.patched-by</code> | — | night-shift |"
            in out
        )
        assert "drift exit code 2 (drift found)" in out
        assert f"<summary><b>{NL}</b>: ✅ in sync" in out

        run_dir, servers = _started(demo_home)
        dashboard, token_file = ready.group(1), Path(ready.group(2))
        assert token_file.stat().st_mode & 0o077 == 0
        token = token_file.read_text().strip()
        assert token not in out and token not in demo.stderr
        assert httpx.get(dashboard, timeout=10).status_code == 401
        page = httpx.get(dashboard, auth=("me", token), timeout=10)
        assert page.status_code == 200 and FR in page.text
        # The map: the three sandbox regions with their state (FR and DE drifted, NL in sync).
        assert dict(re.findall(r'data-region="([^"]+)" data-state="([^"]+)"', page.text)) == {
            "sandbox-de/de-fra": "drifting",
            "sandbox-fr/fr-par": "drifting",
            "sandbox-nl/nl-ams": "in_sync",
        }
        _screenshot(dashboard.replace("http://", f"http://me:{token}@"), tmp_path)
        run_url = demo.wait_for(r"drift run in the bridge: (\S+)", timeout=1).group(1)
        run_page = httpx.get(run_url, auth=("me", token), timeout=10)
        assert run_page.status_code == 200
        assert str(demo_home) not in run_page.text  # report paths are relative, never temporary
        # The bridge checks live state under the policy the demo placed everything with.
        compliance = httpx.get(f"{dashboard}/compliance", auth=("me", token), timeout=30).text
        assert "eu-sovereign <span" in compliance and "No project has a policy" not in compliance
        # --keep: the deployment is still there, with the out-of-band change.
        fr = servers["sandbox-fr"]
        s3 = sandbox_client("s3", f"http://{fr['host']}:{fr['port']}", "eu-west-3")
        tags = {
            t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket="webapp-assets")["TagSet"]
        }
        assert tags["team"] == "marketing"

        assert demo.ctrl_c(timeout=300) == 130
    finally:
        if demo.proc.poll() is None:
            demo.kill(demo_home)
    for stack in (FR, DE, NL):
        assert f"destroy {stack}: ok" in demo.stderr
    assert "fedstack: interrupted" in demo.stderr and "Traceback" not in demo.stderr
    _assert_nothing_left(run_dir, servers, dashboard.removesuffix("/dashboard"))


def _screenshot(url: str, folder: Path) -> None:
    """The overview in Debian's headless Chromium, saved for the README (docs/dashboard-overview.png)."""
    target = folder / "dashboard-overview.png"
    done = subprocess.run(
        [
            "/usr/bin/chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={folder / 'profile'}",
            f"--screenshot={target}",
            "--window-size=1280,1400",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0 and target.read_bytes()[:4] == b"\x89PNG", done.stderr[-2000:]
    print(f"screenshot: {target}")


@pytest.mark.slow
def test_ctrl_c_during_deploy_destroys_and_stops_everything(demo_home: Path) -> None:
    demo = _Demo(home=demo_home)
    try:
        bridge = demo.wait_for(
            r"bridge at (http://127\.0\.0\.1:\d+)", in_stderr=True, timeout=120
        ).group(1)
        demo.wait_for(r"4/8 deploy", in_stderr=True, timeout=180)
        run_dir, servers = _started(demo_home)
        # Mid-deploy: the first bucket exists, the other stacks are still being applied.
        fr = servers["sandbox-fr"]
        s3 = sandbox_client("s3", f"http://{fr['host']}:{fr['port']}", "eu-west-3")
        deadline = time.monotonic() + 180
        while not s3.list_buckets()["Buckets"]:
            assert time.monotonic() < deadline and demo.proc.poll() is None, demo.stderr[-3000:]
            time.sleep(0.2)  # polling moto, bounded by the deadline
        assert "5/8" not in demo.stderr  # still deploying
        assert demo.ctrl_c(timeout=300) == 130
    finally:
        if demo.proc.poll() is None:
            demo.kill(demo_home)
    assert "destroying what the demo deployed" in demo.stderr
    for stack in (FR, DE, NL):
        assert f"destroy {stack}: ok" in demo.stderr
    assert "stopping the sandbox providers" in demo.stderr
    assert "fedstack: interrupted" in demo.stderr and "Traceback" not in demo.stderr
    assert "dashboard:" not in demo.stdout
    _assert_nothing_left(run_dir, servers, bridge)
