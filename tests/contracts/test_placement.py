"""The contracts' placement: fedstack.json checked against the catalog, and the one region rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from fedstack.catalog import load_catalog
from fedstack.contracts import (
    Location,
    Placement,
    StackMetadataError,
    guess_location,
    placement_for_region,
)
from fedstack.contracts import stack_placement as read_stack_metadata


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_fedstack_json_gives_provider_region_and_country(tmp_path: Path, catalog) -> None:
    (tmp_path / "fedstack.json").write_text('{"provider": "sandbox-de", "region": "de-fra"}')
    assert read_stack_metadata(tmp_path, catalog) == Placement("sandbox-de", "de-fra", "DE")


def test_a_provider_with_one_region_needs_no_region(tmp_path: Path, catalog) -> None:
    nl = catalog.providers["sandbox-nl"]
    single = nl.model_copy(update={"regions": {"nl-ams": nl.regions["nl-ams"]}})
    one_region = catalog.model_copy(
        update={"providers": {**catalog.providers, "sandbox-nl": single}}
    )
    (tmp_path / "fedstack.json").write_text('{"provider": "sandbox-nl"}')
    assert read_stack_metadata(tmp_path, one_region) == Placement("sandbox-nl", "nl-ams", "NL")


def test_a_provider_with_several_regions_needs_the_region_named(tmp_path: Path, catalog) -> None:
    assert len(catalog.providers["sandbox-nl"].regions) > 1
    (tmp_path / "fedstack.json").write_text('{"provider": "sandbox-nl"}')
    with pytest.raises(StackMetadataError, match="has several regions; name one of nl-ams"):
        read_stack_metadata(tmp_path, catalog)


def test_no_metadata_file_means_no_declared_placement(tmp_path: Path, catalog) -> None:
    assert read_stack_metadata(tmp_path, catalog) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"provider": "ovh"}', "provider 'ovh' is not in the catalog"),
        (
            '{"provider": "sandbox-fr", "region": "de-fra"}',
            "region 'de-fra' is not a region of 'sandbox-fr'",
        ),
        ('{"provider": "sandbox-fr", "zone": "a"}', "zone"),
        ("{not json", "not a stack metadata file"),
    ],
)
def test_bad_metadata_is_a_clear_error(tmp_path: Path, catalog, text: str, message: str) -> None:
    (tmp_path / "fedstack.json").write_text(text)
    with pytest.raises(StackMetadataError, match=message):
        read_stack_metadata(tmp_path, catalog)


def test_regions_map_by_catalog_or_api_name_only_when_unique(catalog) -> None:
    assert placement_for_region(catalog, "eu-west-3") == Placement("sandbox-fr", "fr-par", "FR")
    # The shipped catalog also has IONOS's de-fra: only the sandbox providers name it uniquely.
    assert placement_for_region(catalog, "de-fra") is None
    sandboxes = catalog.model_copy(
        update={"providers": {n: p for n, p in catalog.providers.items() if p.kind == "sandbox"}}
    )
    assert placement_for_region(sandboxes, "de-fra") == Placement("sandbox-de", "de-fra", "DE")
    assert placement_for_region(catalog, "us-east-1") is None
    doubled = catalog.model_copy(
        update={"providers": {**catalog.providers, "twin": catalog.providers["sandbox-fr"]}}
    )
    assert placement_for_region(doubled, "eu-west-3") is None  # two catalog regions answer to it


def test_a_region_name_alone_settles_only_what_all_its_matches_share(catalog) -> None:
    assert guess_location(catalog, "eu-west-3") == Location("sandbox-fr", "fr-par", "FR")
    # de-fra is a region of sandbox-de and of IONOS: both in Germany, neither provider certain.
    assert guess_location(catalog, "de-fra") == Location(None, "de-fra", "DE")
    assert guess_location(catalog, "us-east-1") == Location(None, "us-east-1", None)
    assert guess_location(catalog, None) == Location(None, None, None)
