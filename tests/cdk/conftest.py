"""Fixtures of the CDK layer's tests: apps on the real catalog, and the example app.

These tests run once per CDK library (`make test` runs tests/cdk in .venv with cdktn and in
.venv-cdktf with cdktf); the end-to-end deploy (test_cdk_e2e.py, on the session's `webapp`)
runs under one of them only.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "federated-webapp"

# Synth-only tests need endpoints in the provider blocks but never contact them.
UNUSED_ENDPOINTS = {
    "sandbox-fr": "http://127.0.0.1:1",
    "sandbox-de": "http://127.0.0.1:2",
    "sandbox-nl": "http://127.0.0.1:3",
}


@pytest.fixture(autouse=True)
def _no_bridge(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local state unless a test sets FEDSTACK_BRIDGE_URL itself."""
    monkeypatch.delenv("FEDSTACK_BRIDGE_URL", raising=False)
    monkeypatch.delenv("FEDSTACK_POLICY", raising=False)


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., Any]:
    """Make a FederatedApp writing into this test's tmp_path, with unused sandbox endpoints."""
    from fedstack.cdk import FederatedApp

    def make(**options: Any) -> Any:
        options.setdefault("endpoints", UNUSED_ENDPOINTS)
        options.setdefault("outdir", str(tmp_path / "cdktf.out"))
        options.setdefault("project", "test")
        return FederatedApp(**options)

    return make


@pytest.fixture(scope="session")
def example() -> ModuleType:
    """examples/federated-webapp/main.py as a module (its build() makes the workload)."""
    spec = importlib.util.spec_from_file_location("federated_webapp_example", EXAMPLE / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def load_stack() -> Callable[[Path, str], dict[str, Any]]:
    """Read the synthesized cdk.tf.json of one stack of an output folder."""

    def load(outdir: Path, name: str) -> dict[str, Any]:
        return json.loads((outdir / "stacks" / name / "cdk.tf.json").read_text())

    return load


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Environment for `fedstack ...` subprocesses: this venv's bin first on PATH."""
    import os
    import sys

    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["CHECKPOINT_DISABLE"] = "1"
    yield env
