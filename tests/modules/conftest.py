"""Fixtures of the module tests: the sandbox server they apply to, and work folders per test module."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from _module_apply import PROVIDER

from fedstack.sandbox import SandboxServer


@pytest.fixture(scope="module")
def sandbox_server(sandbox: dict[str, SandboxServer]) -> SandboxServer:
    """The moto server of the sandbox provider the module tests apply to."""
    return sandbox[PROVIDER]


@pytest.fixture(scope="module")
def module_workdir(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A fresh folder per applied root, kept for the whole test module."""
    return lambda name: tmp_path_factory.mktemp(name)
