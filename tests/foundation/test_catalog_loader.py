"""Loading modules/catalog.yaml: the real catalog loads; every bad entry names the file and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from fedstack.catalog import load_catalog, modules_root
from fedstack.errors import CatalogError


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A copy of the real modules/ folder to break in small ways."""
    target = tmp_path / "modules"
    shutil.copytree(modules_root(), target)
    return target / "catalog.yaml"


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_real_catalog_lists_the_three_sandbox_providers() -> None:
    catalog = load_catalog()
    assert catalog.sandbox_providers()[:3] == ["sandbox-fr", "sandbox-de", "sandbox-nl"]
    fr = catalog.provider("sandbox-fr")
    assert fr.regions["fr-par"].country == "FR"
    assert catalog.module_path("sandbox-fr", "object_storage").joinpath("main.tf").is_file()


def test_unknown_country_code_names_file_and_key(catalog_copy: Path) -> None:
    _edit(
        catalog_copy,
        lambda d: d["providers"]["sandbox-de"]["regions"]["de-fra"].update(country="XX"),
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog_copy)
    message = str(caught.value)
    assert str(catalog_copy) in message
    assert "providers.sandbox-de.regions.de-fra.country" in message
    assert "unknown ISO 3166-1 alpha-2 country code 'XX'" in message


def test_missing_module_path_names_file_and_key(catalog_copy: Path) -> None:
    _edit(
        catalog_copy,
        lambda d: d["providers"]["sandbox-nl"]["capabilities"]["object_storage"].update(
            module="object_storage/nowhere"
        ),
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog_copy)
    assert str(catalog_copy) in str(caught.value)
    assert "providers.sandbox-nl.capabilities.object_storage.module" in str(caught.value)
    assert "object_storage/nowhere" in str(caught.value)


def test_fact_without_source_is_refused(catalog_copy: Path) -> None:
    _edit(catalog_copy, lambda d: d["providers"]["sandbox-fr"]["facts"]["bsi_c5"].pop("source"))
    with pytest.raises(CatalogError, match=r"providers\.sandbox-fr\.facts\.bsi_c5\.source"):
        load_catalog(catalog_copy)


def test_unknown_key_is_refused_rather_than_ignored(catalog_copy: Path) -> None:
    _edit(catalog_copy, lambda d: d["providers"]["sandbox-fr"].update(headquaters="FR"))
    with pytest.raises(CatalogError, match=r"providers\.sandbox-fr\.headquaters"):
        load_catalog(catalog_copy)


def test_catalog_that_is_not_yaml_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "catalog.yaml"
    bad.write_text("providers: [unclosed\n")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_catalog(bad)
