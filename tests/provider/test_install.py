"""`fedstack provider install`: a filesystem mirror Terraform installs from with no registry."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import run_fedstack
from provider_helpers import REQUIRED, Installed

import fedstack
from fedstack.provider import SOURCE, install, os_arch
from fedstack.terraform import Terraform, find_binary


def _package(mirror: Path, version: str) -> Path:
    return mirror / SOURCE / version / os_arch()


def _h1(folder: Path) -> str:
    # Terraform's h1: hash of an unpacked package (golang.org/x/mod dirhash Hash1), recomputed
    # here from its definition so the lock file's hash is checked, not just present.
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(folder).as_posix()}\n")
    return "h1:" + base64.b64encode(hashlib.sha256("".join(lines).encode()).digest()).decode()


def test_install_prints_the_source_and_a_cli_config_snippet(installed_provider: Installed) -> None:
    lines = installed_provider.stdout.splitlines()
    assert lines[0] == f'source = "{SOURCE}"'
    assert "provider_installation {" in installed_provider.stdout
    assert f'path    = "{installed_provider.mirror}"' in installed_provider.stdout
    launcher = _package(installed_provider.mirror, fedstack.__version__) / (
        f"terraform-provider-fedstack_v{fedstack.__version__}"
    )
    assert os.access(launcher, os.X_OK)


def test_init_through_the_runner_config_writes_real_lock_file_hashes(
    installed_provider: Installed, tmp_path: Path
) -> None:
    (tmp_path / "main.tf").write_text(REQUIRED + 'provider "fedstack" {}\n')
    Terraform(tmp_path).init()
    lock = (tmp_path / ".terraform.lock.hcl").read_text()
    expected = _h1(_package(installed_provider.mirror, fedstack.__version__))
    assert f'provider "{SOURCE}"' in lock
    assert expected in lock, lock


def test_installing_again_is_harmless_and_another_version_sits_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = install(tmp_path)
    before = first.executable.read_bytes(), first.executable.stat().st_mtime_ns
    again = install(tmp_path)
    assert (again.executable.read_bytes(), again.executable.stat().st_mtime_ns) == before
    monkeypatch.setattr(fedstack, "__version__", "0.1.1")
    second = install(tmp_path)
    assert second.executable != first.executable
    assert first.executable.exists() and second.executable.exists()
    assert sorted(p.name for p in (tmp_path / SOURCE).iterdir()) == [first.version, "0.1.1"]


def test_implied_local_mirror_in_home_needs_no_cli_config(tmp_path: Path) -> None:
    """HOME is a temporary folder and no CLI config exists: Terraform finds ~/.terraform.d/plugins."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TF_", "FEDSTACK_PROVIDER", "XDG_"))
    }
    env.update(HOME=str(home), CHECKPOINT_DISABLE="1")
    done = run_fedstack("provider", "install", env=env)
    assert done.returncode == 0, done.stderr
    assert "no CLI config needed" in done.stdout
    assert (home / ".terraform.d" / "plugins" / SOURCE / fedstack.__version__).is_dir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text(
        REQUIRED
        + 'output "allowed" {\n'
        + '  value = provider::fedstack::region_allowed("eu-data-residency", "sandbox-fr", "fr-par")\n'
        + "}\n"
    )
    terraform = find_binary().path
    for command in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        run = subprocess.run(
            [terraform, *command, "-no-color"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stdout + run.stderr
    shown = subprocess.run(
        [terraform, "output", "-raw", "allowed"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.stdout == "true"
    assert re.search(r"h1:[A-Za-z0-9+/=]{44}", (root / ".terraform.lock.hcl").read_text())


def test_install_help_has_an_example() -> None:
    done = run_fedstack("provider", "install", "--help")
    assert done.returncode == 0
    assert "fedstack provider install --mirror" in done.stdout


def test_the_cli_and_install_import_neither_the_framework_nor_grpc(tmp_path: Path) -> None:
    """The rest of fedstack runs without the `provider` extra: only the plugin server needs it."""
    code = (
        "import sys, fedstack.cli, fedstack.provider as p; p.install(__import__('pathlib').Path(sys.argv[1]));"
        "assert 'tf' not in sys.modules and 'grpc' not in sys.modules, sorted(sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_unwritable_mirror_is_one_line_on_stderr(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    done = run_fedstack("provider", "install", "--mirror", str(blocker / "mirror"))
    assert done.returncode == 1
    assert done.stderr.startswith("fedstack: error: cannot create the mirror folder")
    assert len(done.stderr.strip().splitlines()) == 1
