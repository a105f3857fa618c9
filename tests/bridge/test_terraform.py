"""Real Terraform as the client: backend "http" at a running bridge (SQLite and PostgreSQL).

Most stacks use `terraform_data` (built into Terraform) so the provider is not the point and
no plugin has to load; one test applies the sandbox object-storage module for real.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from bridge_helpers import BridgeProcess, Tokens, bearer, lock_info, make_tokens, unique, wait_until

from fedstack.bridge.store import create_token, open_engine
from fedstack.catalog import load_catalog
from fedstack.errors import TerraformError
from fedstack.sandbox import SandboxServer, aws_provider_config, module_root_config
from fedstack.terraform import Terraform

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bridge-backend"

_STACK = """
terraform {
  backend "http" {
    address        = "%(url)s"
    lock_address   = "%(url)s/lock"
    unlock_address = "%(url)s/lock"
    lock_method    = "LOCK"
    unlock_method  = "UNLOCK"
  }
}

variable "generation" {
  type    = number
  default = 1
}

variable "release_file" {
  type    = string
  default = ""
}

resource "terraform_data" "app" {
  input            = { generation = var.generation, greeting = "hello" }
  triggers_replace = [var.generation]

  # Holds the state lock until the test creates release_file (at most 120 s), so a second
  # apply meets the lock for sure.
  provisioner "local-exec" {
    command = var.release_file == "" ? "true" : "for i in $(seq 1200); do [ -f '${var.release_file}' ] && exit 0; sleep 0.1; done; exit 1"
  }
}

output "greeting" {
  value = terraform_data.app.output.greeting
}
"""


@pytest.fixture
def project_tokens(bridge: BridgeProcess) -> Tokens:
    """Tokens of every scope for this test's own project (on the SQLite and the PostgreSQL bridge)."""
    return make_tokens(bridge.db_url, unique("tf"))


def _state_url(bridge: BridgeProcess, tokens: Tokens, stack: str) -> str:
    return f"{bridge.url}/v1/states/{tokens.project}/{stack}"


def _stack(
    tf: Callable[..., Terraform], name: str, url: str, token: str, text: str = _STACK
) -> Terraform:
    runner = tf(name, env={"TF_HTTP_USERNAME": "fedstack", "TF_HTTP_PASSWORD": token})
    (runner.workdir / "main.tf").write_text(text % {"url": url})
    runner.init()
    return runner


def test_apply_stores_state_and_state_pull_and_push_go_through_the_bridge(
    bridge: BridgeProcess, project_tokens: Tokens, tf: Callable[..., Terraform]
) -> None:
    url = _state_url(bridge, project_tokens, "app")
    runner = _stack(tf, "app", url, project_tokens.write)
    runner.apply()
    stored = httpx.get(url, headers=bearer(project_tokens.read))
    pulled = json.loads(runner.run("state", "pull", quiet=True))
    assert pulled == json.loads(stored.content)
    assert pulled["resources"][0]["type"] == "terraform_data"

    pushed = {
        **pulled,
        "serial": pulled["serial"] + 1,
        "outputs": {"greeting": {"value": "pushed", "type": "string"}},
    }
    (runner.workdir / "pushed.tfstate").write_text(json.dumps(pushed))
    runner.run("state", "push", "pushed.tfstate")
    assert (
        json.loads(httpx.get(url, headers=bearer(project_tokens.read)).content)["outputs"][
            "greeting"
        ]["value"]
        == "pushed"
    )

    stranger = {
        **pushed,
        "lineage": "00000000-0000-0000-0000-000000000000",
        "serial": pushed["serial"] + 1,
    }
    (runner.workdir / "stranger.tfstate").write_text(json.dumps(stranger))
    with pytest.raises(TerraformError) as refused:
        runner.run("state", "push", "-force", "stranger.tfstate")
    assert "409" in str(refused.value) + refused.value.output
    versions = httpx.get(url + "/versions", headers=bearer(project_tokens.read)).json()["versions"]
    assert [v["origin"] for v in versions] == ["write"] * len(versions)
    assert {v["lineage"] for v in versions} == {pulled["lineage"]}  # the stranger never landed


def test_remote_state_reads_outputs_through_the_bridge(
    bridge: BridgeProcess, project_tokens: Tokens, tf: Callable[..., Terraform]
) -> None:
    network_url = _state_url(bridge, project_tokens, "network")
    _stack(tf, "network", network_url, project_tokens.write).apply()
    reader = """
terraform {
  backend "http" {
    address = "%(url)s"
  }
}

data "terraform_remote_state" "network" {
  backend = "http"
  config = {
    address = "NETWORK"
  }
}

output "from_network" {
  value = data.terraform_remote_state.network.outputs.greeting
}
""".replace("NETWORK", network_url)
    consumer = _stack(
        tf,
        "consumer",
        _state_url(bridge, project_tokens, "consumer"),
        project_tokens.write,
        reader,
    )
    consumer.apply()
    assert consumer.output()["from_network"]["value"] == "hello"


def test_second_apply_fails_naming_the_holder_then_waits_with_lock_timeout(
    bridge: BridgeProcess,
    project_tokens: Tokens,
    tf: Callable[..., Terraform],
    tmp_path: Path,
) -> None:
    url = _state_url(bridge, project_tokens, "shared")
    first = _stack(tf, "first", url, project_tokens.write)
    second = _stack(tf, "second", url, project_tokens.write)
    release = tmp_path / "release-the-lock"
    errors: list[TerraformError] = []

    def run(action: Callable[[], None]) -> threading.Thread:
        def target() -> None:
            try:
                action()
            except TerraformError as exc:  # reported by the main thread
                errors.append(exc)

        thread = threading.Thread(target=target)
        thread.start()
        return thread

    holder = run(lambda: first.apply(variables={"generation": 1, "release_file": str(release)}))
    waiter = None
    try:
        lock_url = url + "/lock"
        wait_until(
            lambda: httpx.get(lock_url, headers=bearer(project_tokens.read)).status_code == 200,
            timeout=60,
            what="the first apply to take the lock",
        )
        held = httpx.get(lock_url, headers=bearer(project_tokens.read)).json()
        with pytest.raises(TerraformError) as refused:
            second.apply(variables={"generation": 2})
        said = str(refused.value) + refused.value.output
        assert "already locked" in said
        assert held["ID"] in said

        conflicts = _lock_conflicts(bridge)
        waiter = run(lambda: second.apply(variables={"generation": 2}, lock_timeout="120s"))
        wait_until(
            lambda: _lock_conflicts(bridge) > conflicts,
            timeout=60,
            what="the second apply to retry the lock",
        )
        assert waiter.is_alive()  # it waits instead of failing
    finally:
        release.touch()
        holder.join(timeout=120)
        if waiter is not None:
            waiter.join(timeout=120)
    assert not errors, errors
    state = json.loads(httpx.get(url, headers=bearer(project_tokens.read)).content)
    assert state["resources"][0]["instances"][0]["attributes"]["input"]["value"]["generation"] == 2


def _lock_conflicts(bridge: BridgeProcess) -> float:
    for line in httpx.get(f"{bridge.url}/metrics").text.splitlines():
        if line.startswith("fedstack_bridge_lock_conflicts_total "):
            return float(line.split()[1])
    raise AssertionError("/metrics has no fedstack_bridge_lock_conflicts_total")


def test_force_unlock_needs_an_admin_token(
    bridge: BridgeProcess, project_tokens: Tokens, tf: Callable[..., Terraform]
) -> None:
    url = _state_url(bridge, project_tokens, "stuck")
    writer = _stack(tf, "writer", url, project_tokens.write)
    stale = lock_info("crashed-ci-runner")
    httpx.request(
        "LOCK", url + "/lock", json=stale, headers=bearer(project_tokens.write)
    ).raise_for_status()
    with pytest.raises(TerraformError) as refused:
        writer.run("force-unlock", "-force", stale["ID"])
    assert "403" in str(refused.value) + refused.value.output
    admin = tf(
        "admin", env={"TF_HTTP_USERNAME": "fedstack", "TF_HTTP_PASSWORD": project_tokens.admin}
    )
    for item in writer.workdir.iterdir():  # same configuration and initialised backend
        if item.name in ("main.tf", ".terraform", ".terraform.lock.hcl"):
            (admin.workdir / item.name).symlink_to(item)
    admin.run("force-unlock", "-force", stale["ID"])
    assert httpx.get(url + "/lock", headers=bearer(project_tokens.read)).status_code == 204
    writer.apply()


def test_sandbox_bucket_lands_in_the_inventory_at_its_provider(
    sqlite_bridge: BridgeProcess,
    tf: Callable[..., Terraform],
    sandbox: dict[str, SandboxServer],
) -> None:
    """The bucket (uniquely named) stays in the session's sandbox: a destroy costs as much as the apply."""
    project_tokens = make_tokens(sqlite_bridge.db_url, unique("tf"))
    catalog = load_catalog()
    server = sandbox["sandbox-fr"]
    region = catalog.provider("sandbox-fr").regions["fr-par"]
    url = _state_url(sqlite_bridge, project_tokens, "storage")
    root: dict[str, Any] = module_root_config(
        module_name="bucket",
        source=str(catalog.module_path("sandbox-fr", "object_storage")),
        inputs={
            "name": unique("inv"),
            "location": "fr-par",
            "endpoint": server.endpoint,
            "force_destroy": True,
        },
        provider=aws_provider_config(server.endpoint, region.api_region or "fr-par"),
        outputs=["bucket_name"],
    )
    root["terraform"]["backend"] = {
        "http": {"address": url, "lock_address": url + "/lock", "unlock_address": url + "/lock"}
    }
    runner = tf(
        "storage", env={"TF_HTTP_USERNAME": "fedstack", "TF_HTTP_PASSWORD": project_tokens.write}
    )
    Path(runner.workdir / "main.tf.json").write_text(json.dumps(root))
    runner.init()
    runner.apply()
    page = httpx.get(
        f"{sqlite_bridge.url}/v1/inventory",
        params={"project": project_tokens.project, "type": "aws_s3_bucket"},
        headers=bearer(project_tokens.read),
    ).json()
    assert page["total"] == 1
    bucket = page["items"][0]
    assert bucket["address"] == "module.bucket.aws_s3_bucket.this"
    assert (bucket["provider"], bucket["region"], bucket["country"]) == (
        "sandbox-fr",
        "fr-par",
        "FR",
    )


def test_the_plain_terraform_example_applies_through_the_bridge(
    bridge: BridgeProcess, project_tokens: Tokens, tf: Callable[..., Terraform]
) -> None:
    url = _state_url(bridge, project_tokens, "example")
    runner = tf(
        "example", env={"TF_HTTP_USERNAME": "fedstack", "TF_HTTP_PASSWORD": project_tokens.write}
    )
    shutil.copy(EXAMPLE / "main.tf", runner.workdir / "main.tf")
    runner.init(
        backend_config={
            "address": url,
            "lock_address": url + "/lock",
            "unlock_address": url + "/lock",
        }
    )
    runner.apply()
    assert runner.output()["greeting"]["value"] == "hello from a plain Terraform stack"
    versions = httpx.get(url + "/versions", headers=bearer(project_tokens.read)).json()["versions"]
    assert len(versions) == 1 and versions[0]["created_by"] == project_tokens.write.split("_")[1]


def test_apply_succeeds_while_another_token_tries_to_unlock_and_write_under_its_lock(
    bridge: BridgeProcess,
    project_tokens: Tokens,
    tf: Callable[..., Terraform],
    tmp_path: Path,
) -> None:
    """The attack that once failed a real apply with "Failed to persist state"."""
    url = _state_url(bridge, project_tokens, "guarded")
    runner = _stack(tf, "guarded", url, project_tokens.write)
    engine = open_engine(bridge.db_url)
    try:
        mallory = create_token(engine, project_tokens.project, "state:write").secret
    finally:
        engine.dispose()
    release = tmp_path / "release-the-lock"
    errors: list[TerraformError] = []

    def apply() -> None:
        try:
            runner.apply(variables={"generation": 1, "release_file": str(release)})
        except TerraformError as exc:  # reported by the main thread
            errors.append(exc)

    applying = threading.Thread(target=apply)
    applying.start()
    statuses: list[int] = []
    try:
        lock_url = url + "/lock"
        wait_until(
            lambda: httpx.get(lock_url, headers=bearer(mallory)).status_code == 200,
            timeout=60,
            what="the apply to take the lock",
        )
        held = httpx.get(lock_url, headers=bearer(mallory)).json()
        forged = {**held, "Who": "mallory", "Info": "extra"}
        stolen = json.dumps({"version": 4, "serial": 99, "lineage": "x", "resources": []})
        for _ in range(5):  # bounded: five rounds of every way in
            statuses += [
                httpx.request("UNLOCK", lock_url, json=forged, headers=bearer(mallory)).status_code,
                httpx.request("DELETE", lock_url, json=held, headers=bearer(mallory)).status_code,
                httpx.post(
                    url,
                    params={"ID": held["ID"]},
                    content=stolen,
                    headers={**bearer(mallory), "Content-Type": "application/json"},
                ).status_code,
            ]
    finally:
        release.touch()
        applying.join(timeout=120)
    assert not errors, errors
    assert set(statuses) == {423}, statuses
    state = json.loads(httpx.get(url, headers=bearer(project_tokens.read)).content)
    assert state["resources"][0]["type"] == "terraform_data"
    assert httpx.get(url + "/lock", headers=bearer(project_tokens.read)).status_code == 204
