"""Packaging: the wheel installs and runs on its own; the shared core stays free of cdktf and jsii."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _python(*code: str) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter from an empty folder (python -c puts the cwd on sys.path)."""
    with tempfile.TemporaryDirectory() as empty:
        return subprocess.run(
            [sys.executable, "-c", "\n".join(code)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=empty,
        )


@pytest.mark.parametrize(
    "module", ["fedstack.bridge", "fedstack", "fedstack.cli", "fedstack.terraform"]
)
def test_importing_the_core_loads_neither_cdktf_nor_jsii(module: str) -> None:
    done = _python(
        f"import {module}, sys",
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'cdktf', 'cdktn', 'jsii', 'constructs'})",
        "print(heavy)",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_help_runs_without_importing_cdktf_or_the_web_framework() -> None:
    done = _python(
        "import sys",
        "from fedstack.cli import main",
        "sys.argv = ['fedstack', '--help']",
        "try:",
        "    main()",
        "except SystemExit:",
        "    pass",
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'cdktf', 'cdktn', 'jsii', 'fastapi', 'uvicorn'})",
        "print('HEAVY', heavy)",
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: fedstack" in done.stdout
    assert "HEAVY []" in done.stdout


def test_no_bare_cdk_or_bridge_import_names() -> None:
    done = _python("import importlib.util as u", "print(u.find_spec('cdk'), u.find_spec('bridge'))")
    assert done.stdout.strip() == "None None"


@pytest.mark.slow
def test_pip_install_into_a_new_venv_gives_a_working_fedstack(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet", str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    # No setuptools warnings (license metadata, data folders taken for packages).
    assert "Warning" not in pip.stderr and "deprecated" not in pip.stderr, pip.stderr[-3000:]
    outside = tmp_path / "elsewhere"  # not the checkout: the wheel must carry everything
    outside.mkdir()
    run_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    helped = subprocess.run(
        [str(env_dir / "bin" / "fedstack"), "--help"],
        capture_output=True,
        text=True,
        cwd=outside,
        env=run_env,
    )
    assert helped.returncode == 0, helped.stderr
    assert "sandbox" in helped.stdout
    catalog = subprocess.run(
        [
            str(env_dir / "bin" / "python"),
            "-c",
            "from fedstack.catalog import load_catalog; c = load_catalog();"
            "print(c.modules_root); print(c.module_path('sandbox-fr', 'object_storage'))",
        ],
        capture_output=True,
        text=True,
        cwd=outside,
        env=run_env,
    )
    assert catalog.returncode == 0, catalog.stderr
    root, module = catalog.stdout.split()
    assert Path(root).is_relative_to(env_dir), "the catalog and modules ship inside the wheel"
    assert (Path(module) / "main.tf").is_file()

    demo = subprocess.run(
        [
            str(env_dir / "bin" / "python"),
            "-c",
            "from fedstack.demo import default_app; print(default_app())",
        ],
        capture_output=True,
        text=True,
        cwd=outside,
        env=run_env,
    )
    app = Path(demo.stdout.strip())
    assert app.is_relative_to(env_dir) and (app / "main.py").is_file(), demo.stderr
    assert (app / "drift-ignore.yaml").is_file()
    helped = subprocess.run(
        [str(env_dir / "bin" / "fedstack"), "demo", "--help"],
        capture_output=True,
        text=True,
        cwd=outside,
        env=run_env,
    )
    assert helped.returncode == 0 and "Example" in helped.stdout, helped.stderr
    # Without FEDSTACK_PROVIDER_MIRROR the CLI finds the machine's mirror and says which.
    no_mirror = {k: v for k, v in run_env.items() if k != "FEDSTACK_PROVIDER_MIRROR"}
    stack = outside / "stack"
    stack.mkdir()
    (stack / "main.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    found = subprocess.run(
        [str(env_dir / "bin" / "fedstack"), "drift", str(stack), "--out", str(tmp_path / "r")],
        capture_output=True,
        text=True,
        cwd=outside,
        env=no_mirror,
        timeout=120,
    )
    expected = subprocess.run(
        [str(REPO / "scripts" / "find-provider-mirror")],
        capture_output=True,
        text=True,
        env=no_mirror,
    ).stdout.strip()
    if expected:
        assert f"providers from the mirror {expected} (found;" in found.stderr, found.stderr
