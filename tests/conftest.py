"""Shared fixtures: the real things (terraform, the sandbox cloud), started once per session.

- `fedstack_home`: a FEDSTACK_HOME for the whole session (its plugin cache is shared by every test).
- `provider_mirror`: the filesystem mirror Terraform installs providers from (no registry here).
- `sandbox`: one sandbox cloud (a moto server per sandbox provider) for the whole session.
- `tf`: a factory of Terraform runners in fresh working directories, with sandbox credentials.
- `webapp`: examples/federated-webapp deployed once through a bridge, for the two files that
  need it (tests/webapp_helpers.py); its tests run in their `webapp_stage` order.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fedstack.sandbox import SANDBOX_CREDENTIALS, Sandbox, SandboxServer
from fedstack.terraform import Terraform

if TYPE_CHECKING:
    from webapp_helpers import Webapp

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


@pytest.fixture(scope="session")
def webapp(
    sandbox: dict[str, SandboxServer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Webapp]:
    """The example app deployed on the session sandbox with its states in a real bridge."""
    from webapp_helpers import deployed_webapp  # the bridge's dependencies, lazily

    with deployed_webapp(sandbox, tmp_path_factory.mktemp("webapp")) as deployed:
        yield deployed


def _webapp_stage(item: pytest.Item) -> int:
    marker = item.get_closest_marker("webapp_stage")
    return int(marker.args[0]) if marker else 1


# The files whose tests share the `webapp` deployment: one unit of work for pytest-xdist. The
# controller that hands out the work sees node ids only, so the files are named here; collection
# fails when another file's test asks for `webapp` (it would deploy a second copy on its worker).
WEBAPP_FILES = ("tests/cdk/test_cdk_e2e.py", "tests/exit/test_exit_e2e.py")


def unit_of_work(nodeid: str) -> str:
    """The unit of work of a test for `make test`'s workers: its file, or `webapp`."""
    path = nodeid.split("::", 1)[0]
    return "webapp" if path in WEBAPP_FILES else path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """pytest-xdist hands out whole units of work (unit_of_work), in the collection's order.

    (Its own `--dist loadgroup` cannot be used: it renames node ids, which pytest 9.2 ignores.)
    """
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of_work(nodeid)

    return UnitScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order of the tests, so that `make test`'s two workers (pytest-xdist) finish together.

    Each test file is one unit of work (a file's module fixtures are set up once), and the tests
    of the shared `webapp` deployment one more, across their two files, in their stages: the CDK
    checks of the fresh deployment first, its destroy after the exit's tests, whatever order the
    files were named in. The longest units go first (the webapp block, then the files marked
    `slow`), so the short ones fill the end of both workers' queues; without workers the order
    is the same.
    """
    ranks: dict[str, int] = {}  # unit -> 0 webapp, 1 a file marked slow, 2 the rest
    for item in items:
        unit = unit_of_work(item.nodeid)
        if "webapp" in getattr(item, "fixturenames", ()) and unit != "webapp":
            raise pytest.UsageError(
                f"{item.nodeid} uses the `webapp` fixture: add its file to WEBAPP_FILES in "
                "tests/conftest.py, so that one worker runs every test of the deployment"
            )
        rank = 0 if unit == "webapp" else 1 if item.get_closest_marker("slow") else 2
        ranks[unit] = min(rank, ranks.get(unit, rank))
    first_seen = {
        unit: n for n, unit in enumerate(dict.fromkeys(unit_of_work(i.nodeid) for i in items))
    }

    def order(item: pytest.Item) -> tuple[int, int, int]:
        unit = unit_of_work(item.nodeid)
        return ranks[unit], first_seen[unit], _webapp_stage(item) if unit == "webapp" else 0

    items.sort(key=order)  # stable: a file's tests keep their order
