"""The Terraform runner against the real terraform binary and the provider mirror."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from fedstack.errors import TerraformError, TerraformNotFound, TerraformTimeout
from fedstack.terraform import Terraform, find_binary
from fedstack.terraform._diagnostics import from_text

AWS_REQUIREMENT = {
    "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.0"}}}
}


def _write(workdir: Path, config: dict) -> None:
    (workdir / "main.tf.json").write_text(json.dumps(config))


def test_missing_binary_names_fedstack_terraform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEDSTACK_TERRAFORM", "/nonexistent/terraform")
    with pytest.raises(TerraformNotFound, match="FEDSTACK_TERRAFORM"):
        find_binary()


def test_no_binary_on_path_says_how_to_point_at_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("FEDSTACK_TERRAFORM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TerraformNotFound, match="neither tofu nor terraform.*FEDSTACK_TERRAFORM"):
        find_binary()


def test_binary_version_matches_terraform_version_json() -> None:
    binary = find_binary()
    reported = json.loads(
        subprocess.run([binary.path, "version", "-json"], capture_output=True, text=True).stdout
    )["terraform_version"]
    assert binary.version_string == reported
    assert binary.flavour in {"terraform", "opentofu"}


def test_apply_streams_progress_and_reads_outputs(tf) -> None:
    runner_messages: list[str] = []
    runner = tf(on_message=runner_messages.append)
    _write(
        runner.workdir,
        {
            "resource": {"terraform_data": {"marker": {"input": "hello"}}},
            "output": {"marker": {"value": "${terraform_data.marker.output}"}},
        },
    )
    runner.init()
    plan = runner.plan()
    assert plan.changes is True
    runner.apply()
    assert runner.output()["marker"]["value"] == "hello"
    assert any("Apply complete" in m for m in runner_messages)
    state = runner.show_json()
    assert state["values"]["root_module"]["resources"][0]["address"] == "terraform_data.marker"
    assert runner.plan().changes is False


def test_invalid_configuration_raises_terraform_diagnostics_without_colour(tf) -> None:
    runner = tf()
    (runner.workdir / "main.tf").write_text('resource "terraform_data" "x" {\n  bogus = 1\n}\n')
    runner.init()
    with pytest.raises(TerraformError) as caught:
        runner.plan()
    error = caught.value
    assert error.diagnostics, "terraform's diagnostics are carried by the error"
    assert error.diagnostics[0].summary == "Unsupported argument"
    assert 'argument named "bogus"' in error.diagnostics[0].detail
    assert "Unsupported argument" in str(error)
    assert "\x1b[" not in str(error) and "\x1b[" not in error.output


def test_provider_missing_from_mirror_shows_terraforms_diagnostic(tf) -> None:
    runner = tf()
    _write(
        runner.workdir,
        {"terraform": {"required_providers": {"nothere": {"source": "example/nothere"}}}},
    )
    with pytest.raises(TerraformError) as caught:
        runner.init()
    assert caught.value.diagnostics[0].summary == "Failed to query available provider packages"
    assert "example/nothere" in str(caught.value)
    assert os.environ["FEDSTACK_PROVIDER_MIRROR"] in caught.value.diagnostics[0].detail


def test_timeout_stops_terraform_and_its_children(tf) -> None:
    marker = "31.4159"  # a sleep duration no other process here uses
    runner = tf(timeout=4)
    _write(
        runner.workdir,
        {
            "resource": {
                "terraform_data": {
                    "slow": {"provisioner": [{"local-exec": {"command": f"sleep {marker}"}}]}
                }
            }
        },
    )
    runner.init()
    started = time.monotonic()
    with pytest.raises(TerraformTimeout, match="took longer than 4 s"):
        runner.apply()
    assert time.monotonic() - started < 30
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _processes_with(marker):
        time.sleep(0.2)
    assert not _processes_with(marker), "the provisioner's child process outlived the timeout"


def _processes_with(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_mirror_config_is_fedstacks_own_and_users_config_is_untouched(
    tf, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_config = tmp_path / "user.tfrc"
    user_config.write_text('# the user\'s own CLI config\nplugin_cache_dir = "/nowhere"\n')
    before = (user_config.read_text(), user_config.stat().st_mtime_ns)
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(user_config))
    runner = tf()
    used = Path(runner._env["TF_CLI_CONFIG_FILE"])
    assert used != user_config
    assert used.is_relative_to(Path(os.environ["FEDSTACK_HOME"]))
    text = used.read_text()
    assert "filesystem_mirror" in text and os.environ["FEDSTACK_PROVIDER_MIRROR"] in text
    assert "plugin_cache_dir" in text
    _write(runner.workdir, AWS_REQUIREMENT)
    runner.init()
    assert (user_config.read_text(), user_config.stat().st_mtime_ns) == before


@pytest.mark.slow
def test_parallel_runs_share_the_plugin_cache_safely(tf) -> None:
    runners = [tf(f"parallel{i}") for i in range(3)]
    errors: list[BaseException] = []

    def run(runner: Terraform) -> None:
        try:
            _write(
                runner.workdir,
                {
                    **AWS_REQUIREMENT,
                    "resource": {"terraform_data": {"x": {"input": runner.workdir.name}}},
                },
            )
            runner.init()
            runner.apply()
        except BaseException as exc:  # reported below, with the runner's folder
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(r,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    cache = Path(os.environ["FEDSTACK_HOME"]) / "terraform" / "plugin-cache"
    cached = list(cache.glob("registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws*"))
    assert len(cached) == 1
    for runner in runners:
        assert runner.output() == {}
        resources = runner.show_json()["values"]["root_module"]["resources"]
        assert resources[0]["values"]["input"] == runner.workdir.name
        # Each working directory links the provider from the one shared cache, not a copy.
        installed = next((runner.workdir / ".terraform" / "providers").glob("*/*/aws/*/*"))
        assert installed.is_symlink()
        assert Path(os.readlink(installed)).is_relative_to(cache)


def test_text_diagnostics_are_parsed_when_there_is_no_json_stream() -> None:
    text = (
        "\x1b[31m╷\x1b[0m\n\x1b[31m│\x1b[0m \x1b[1m\x1b[31mError: \x1b[0m\x1b[1mBackend init failed\x1b[0m\n"
        "│ \n│ The backend said no.\n╵\nWarning: Deprecated thing\n\nUse the other thing.\n"
    )
    found = from_text(text)
    assert [(d.severity, d.summary, d.detail) for d in found] == [
        ("error", "Backend init failed", "The backend said no."),
        ("warning", "Deprecated thing", "Use the other thing."),
    ]
