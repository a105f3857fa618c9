"""Each module's own `*.tftest.hcl` files pass under `terraform test` (plan-only, mocked provider).

The sandbox modules carry Terraform-native tests of their logic (size and image tables, name and
range validation, defaults) that use `mock_provider "aws"`: they need the provider's schema (from
the mirror) but no cloud and no moto. Native-provider modules carry none: no provider binary here.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fedstack.catalog import modules_root
from fedstack.errors import TerraformError
from fedstack.terraform import Terraform

ROOT = modules_root()
TESTED = sorted({path.parent.parent for path in ROOT.glob("*/*/tests/*.tftest.hcl")})


def _terraform_test(folder: Path, workdir: Path) -> str:
    # A copy, so that init writes no lock file or .terraform into the source tree.
    copy = workdir / folder.relative_to(ROOT)
    shutil.copytree(folder, copy)
    terraform = Terraform(copy, timeout=300)
    terraform.init(backend=False)
    try:
        return terraform.run("test", "-no-color", quiet=True)
    except TerraformError as exc:
        return f"FAILED: {exc}\n{exc.output}"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, str]:
    """`terraform test` of every module with tests, run concurrently (init is serialised)."""
    workdir = tmp_path_factory.mktemp("tftest")
    with ThreadPoolExecutor(max_workers=4) as pool:
        outputs = pool.map(lambda folder: _terraform_test(folder, workdir), TESTED)
        return dict(zip(TESTED, outputs))


def test_every_sandbox_module_has_terraform_tests() -> None:
    assert {f.relative_to(ROOT).as_posix() for f in TESTED} >= {
        "object_storage/sandbox",
        "network/sandbox",
        "compute/sandbox",
        "dns_record/sandbox",
    }


@pytest.mark.parametrize("folder", TESTED, ids=lambda f: f.relative_to(ROOT).as_posix())
def test_module_passes_its_terraform_tests(results: dict[Path, str], folder: Path) -> None:
    output = results[folder]
    assert "Success!" in output and " 0 failed" in output, output
