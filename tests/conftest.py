"""Shared fixtures: the real things (terraform, the sandbox cloud), started once per session.

- `fedstack_home`: a FEDSTACK_HOME for the whole session (its plugin cache is shared by every test).
- `provider_mirror`: the filesystem mirror Terraform installs providers from (no registry here).
- `sandbox`: one sandbox cloud (a moto server per sandbox provider) for the whole session.
- `tf`: a factory of Terraform runners in fresh working directories, with sandbox credentials.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fedstack.sandbox import SANDBOX_CREDENTIALS, Sandbox, SandboxServer
from fedstack.terraform import Terraform

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def provider_mirror() -> Path:
    """FEDSTACK_PROVIDER_MIRROR, or the mirror scripts/find-provider-mirror finds on this machine."""
    found = subprocess.run(
        [str(REPO / "scripts" / "find-provider-mirror")], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not found:
        pytest.fail(
            "no Terraform provider mirror: set FEDSTACK_PROVIDER_MIRROR to a filesystem mirror "
            "holding hashicorp/aws (no registry is reachable here)"
        )
    return Path(found)


@pytest.fixture(scope="session", autouse=True)
def fedstack_home(
    tmp_path_factory: pytest.TempPathFactory, provider_mirror: Path
) -> Iterator[Path]:
    """One FEDSTACK_HOME per session, so the plugin cache is warmed once and shared."""
    home = tmp_path_factory.mktemp("fedstack-home")
    saved = {k: os.environ.get(k) for k in ("FEDSTACK_HOME", "FEDSTACK_PROVIDER_MIRROR")}
    os.environ["FEDSTACK_HOME"] = str(home)
    os.environ["FEDSTACK_PROVIDER_MIRROR"] = str(provider_mirror)
    yield home
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def sandbox(fedstack_home: Path) -> Iterator[dict[str, SandboxServer]]:
    """The sandbox cloud, one moto server per sandbox provider, for the whole test session."""
    box = Sandbox(fedstack_home)
    servers = box.up()
    yield servers
    box.down()


@pytest.fixture
def tf(tmp_path: Path) -> Callable[..., Terraform]:
    """Make a Terraform runner in a fresh folder under this test's tmp_path."""
    counter = iter(range(1000))

    def make(name: str | None = None, **kwargs: object) -> Terraform:
        workdir = tmp_path / (name or f"stack{next(counter)}")
        workdir.mkdir(parents=True, exist_ok=True)
        env = {**SANDBOX_CREDENTIALS, **kwargs.pop("env", {})}  # type: ignore[dict-item]
        return Terraform(workdir, env=env, **kwargs)  # type: ignore[arg-type]

    return make
