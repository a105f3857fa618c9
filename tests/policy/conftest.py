"""Fixtures of the policy tests: small catalogs on disk, loaded with the real catalog loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from fedstack.catalog import Catalog, load_catalog

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def rules_catalog() -> Catalog:
    """Three cloud providers whose facts give each rule a pass, a fail and an unknown case."""
    return load_catalog(DATA / "catalog-rules.yaml")


@pytest.fixture(scope="session")
def sandbox_catalog() -> Catalog:
    """The shipped catalog, whose sandbox providers carry simulated facts for tests."""
    return load_catalog()
