"""fedstack_project_policy and fedstack_token against the session's bridge: create, update,
import and destroy through real terraform, each checked on the bridge's own HTTP API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from bridge_helpers import bearer, make_tokens, set_token_expiry, unique
from provider_helpers import (
    PRODUCER_SECRET,
    ProviderBridge,
    Root,
    bridge_env,
    outputs,
    plan_error,
)

from fedstack.errors import TerraformError
from fedstack.terraform import Terraform

pytestmark = pytest.mark.slow

_CUSTOM = """name: only-fr
rules:
  - id: countries-allowed
    countries: [FR]
"""


def _policy(bridge: ProviderBridge, project: str) -> httpx.Response:
    return httpx.get(
        f"{bridge.url}/v1/projects/{project}/policy", headers=bearer(bridge.tokens.root)
    )


def _policy_root(project: str, policy: str) -> str:
    return f"""
resource "fedstack_project_policy" "this" {{
  project = "{project}"
  policy  = <<-YAML
{policy}YAML
}}
output "name" {{ value = fedstack_project_policy.this.policy_name }}
"""


def test_project_policy_create_update_import_destroy(
    root: Root, provider_bridge: ProviderBridge
) -> None:
    project = unique("pol")
    env = bridge_env(provider_bridge, provider_bridge.tokens.root)
    runner = root(_policy_root(project, "eu-data-residency\n"), env=env)
    runner.apply()
    stored = _policy(provider_bridge, project).json()
    assert (stored["source"], stored["document"]) == ("preset", "eu-data-residency")
    assert outputs(runner)["name"] == stored["name"]

    (runner.workdir / "main.tf").write_text(
        (runner.workdir / "main.tf").read_text().replace("eu-data-residency\n", _CUSTOM)
    )
    assert runner.plan().changes
    runner.apply()
    stored = _policy(provider_bridge, project).json()
    assert stored["source"] == "yaml" and stored["name"] == "only-fr"
    assert outputs(runner)["name"] == "only-fr"
    assert not runner.plan().changes

    runner.run("state", "rm", "fedstack_project_policy.this")
    runner.run("import", "-input=false", "-no-color", "fedstack_project_policy.this", project)
    assert not runner.plan().changes

    runner.destroy()
    assert _policy(provider_bridge, project).status_code == 404


def _token_root(description: str) -> str:
    return f"""
resource "fedstack_token" "reader" {{
  project     = "{{project}}"
  scope       = "state:read"
  description = "{description}"
}}
output "token"    {{
  value     = fedstack_token.reader.token
  sensitive = true
}}
output "token_id" {{ value = fedstack_token.reader.token_id }}
"""


def _can_read(bridge: ProviderBridge, token: str) -> int:
    return httpx.get(f"{bridge.url}/v1/inventory", headers=bearer(token)).status_code


def test_token_create_replace_import_destroy(root: Root, provider_bridge: ProviderBridge) -> None:
    project = provider_bridge.tokens.project
    env = bridge_env(provider_bridge, provider_bridge.tokens.admin)
    runner = root(_token_root("ci reader").replace("{project}", project), env=env)
    runner.apply()
    first = outputs(runner)
    token, token_id = str(first["token"]), str(first["token_id"])
    assert token.startswith(f"fst_{token_id}_")
    assert _can_read(provider_bridge, token) == 200

    main = runner.workdir / "main.tf"
    main.write_text(main.read_text().replace("ci reader", "nightly reader"))
    runner.apply()  # a token's arguments are fixed: a new token, the old one revoked
    second = outputs(runner)
    assert second["token_id"] != token_id
    assert _can_read(provider_bridge, token) == 401
    assert _can_read(provider_bridge, str(second["token"])) == 200

    runner.run("state", "rm", "fedstack_token.reader")
    runner.run(
        "import", "-input=false", "-no-color", "fedstack_token.reader", str(second["token_id"])
    )
    assert not runner.plan().changes  # the secret is not known after import, nothing else moves

    runner.destroy()
    assert _can_read(provider_bridge, str(second["token"])) == 401


def _expiring_root(project: str, expires_in: str) -> str:
    return f"""
resource "fedstack_token" "ci" {{
  project    = "{project}"
  scope      = "state:read"
  expires_in = "{expires_in}"
}}
output "token_id"   {{ value = fedstack_token.ci.token_id }}
output "expires_at" {{ value = fedstack_token.ci.expires_at }}
"""


def test_token_expires_in_sets_the_expiry_and_an_expired_token_is_replaced(
    root: Root, provider_bridge: ProviderBridge
) -> None:
    project = provider_bridge.tokens.project
    env = bridge_env(provider_bridge, provider_bridge.tokens.admin)
    runner = root(_expiring_root(project, "30d"), env=env)
    before = datetime.now(UTC)
    runner.apply()
    first = outputs(runner)
    token_id, expires_at = str(first["token_id"]), str(first["expires_at"])
    shown = httpx.get(
        f"{provider_bridge.url}/v1/tokens/{token_id}", headers=bearer(provider_bridge.tokens.root)
    ).json()
    assert shown["expires_at"] == expires_at and shown["expired"] is False
    moment = datetime.fromisoformat(expires_at)
    assert before + timedelta(days=30) <= moment <= datetime.now(UTC) + timedelta(days=30)
    assert not runner.plan().changes

    # Time passing cannot be waited for: the token's expiry is moved into the past in the store.
    set_token_expiry(
        provider_bridge.process.db_url, f"fst_{token_id}_x", datetime(2026, 1, 2, tzinfo=UTC)
    )
    runner.apply()
    second = outputs(runner)
    assert second["token_id"] != token_id
    assert datetime.fromisoformat(str(second["expires_at"])) > datetime.now(UTC)
    runner.destroy()


def test_token_expires_in_with_a_bad_duration_fails_the_plan_naming_it(root: Root) -> None:
    runner = root(_expiring_root("shop", "30 days"))
    error = plan_error(runner)
    assert "invalid expires_in" in error and "'30 days' is not a duration" in error
    assert "e.g. 30d" in error


def test_token_without_the_admin_scope_is_refused(
    root: Root, provider_bridge: ProviderBridge
) -> None:
    project = provider_bridge.tokens.project
    runner = root(
        _token_root("x").replace("{project}", project),
        env=bridge_env(provider_bridge, provider_bridge.tokens.write),
    )
    try:
        runner.apply()
    except Exception as exc:  # TerraformError: the apply must fail
        message = str(exc)
    else:
        raise AssertionError("creating a token with a state:write token succeeded")
    assert "the bridge token lacks the scope for this" in message
    assert "this needs admin" in message
    assert provider_bridge.tokens.write not in message
    assert "fedstack_token.reader" not in runner.run("state", "list")


def test_an_admin_of_another_project_cannot_mint_tokens_here(
    root: Root, provider_bridge: ProviderBridge
) -> None:
    other = make_tokens(provider_bridge.process.db_url, unique("other"))
    runner = root(
        _token_root("x").replace("{project}", provider_bridge.tokens.project),
        env=bridge_env(provider_bridge, other.admin),
    )
    with pytest.raises(Exception, match="lacks the scope"):
        runner.apply()


def test_secrets_never_reach_trace_logs_or_plan_output(
    root: Root, provider_bridge: ProviderBridge
) -> None:
    """TF_LOG=trace records every plugin message: neither the provider token nor a sensitive
    output may appear, in a run that reads sensitive outputs and one that fails on the bridge."""
    token = provider_bridge.tokens.admin
    hcl = f"""
provider "fedstack" {{
  bridge_url = "{provider_bridge.url}"
  token      = "{token}"
}}
data "fedstack_stack_outputs" "storage" {{
  project = "{provider_bridge.tokens.project}"
  stack   = "storage"
}}
data "fedstack_stack_outputs" "missing" {{
  project = "{provider_bridge.tokens.project}"
  stack   = "nothing-here"
}}
resource "terraform_data" "uses" {{
  input = data.fedstack_stack_outputs.storage.sensitive_outputs
}}
"""
    runner = root(hcl)
    log = runner.workdir / "trace.log"
    traced = Terraform(runner.workdir, env={"TF_LOG": "trace", "TF_LOG_PATH": str(log)})
    with pytest.raises(TerraformError) as failed:
        traced.run("plan", "-input=false", "-no-color")
    assert "has no state in the bridge" in failed.value.output
    text = str(failed.value) + failed.value.output + log.read_text()
    assert "fedstack" in log.read_text()  # the provider's plugin messages are in the log
    assert token not in text
    assert token.split("_")[-1] not in text
    assert PRODUCER_SECRET not in text
    assert "Traceback" not in text
