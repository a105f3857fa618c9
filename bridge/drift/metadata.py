"""Where a stack runs: provider, region and country, from `fedstack.json` or a region attribute.

`fedstack.json` beside a stack's configuration says it outright:
`{"provider": "sandbox-fr", "region": "fr-par"}`, checked against the catalog. Without it, a
region name (the catalog's or the provider API's) is used only when it maps to exactly one
catalog region. Pure data: no Terraform process, no web framework.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from fedstack.bridge.drift.errors import StackMetadataError
from pydantic import BaseModel, ConfigDict, ValidationError

from fedstack.catalog import Catalog

__all__ = [
    "METADATA_FILE",
    "Placement",
    "placement_for_region",
    "read_stack_metadata",
    "read_stack_names",
]

METADATA_FILE = "fedstack.json"
"""The stack metadata file, beside the stack's `*.tf` / `cdk.tf.json`."""


@dataclass(frozen=True)
class Placement:
    """A catalog provider and region, and the region's ISO 3166 country."""

    provider: str
    region: str
    country: str


class _Metadata(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider: str
    region: str | None = None
    # The stack's identity (written by the CDK layer); not needed for placement.
    project: str | None = None
    workload: str | None = None
    stack: str | None = None


def read_stack_metadata(folder: Path, catalog: Catalog) -> Placement | None:
    """The placement `folder/fedstack.json` declares, or None when there is no such file."""
    file = folder / METADATA_FILE
    if not file.is_file():
        return None
    try:
        meta = _Metadata.model_validate(json.loads(file.read_text()))
    except (OSError, ValueError) as exc:
        first = exc.errors()[0] if isinstance(exc, ValidationError) else None
        reason = f"{'.'.join(map(str, first['loc']))}: {first['msg']}" if first else str(exc)
        raise StackMetadataError(
            f"{file}: not a stack metadata file ({reason}); expected "
            '{"provider": "<catalog provider>", "region": "<its region>"}'
        ) from None
    if meta.provider not in catalog.providers:
        raise StackMetadataError(
            f"{file}: provider {meta.provider!r} is not in the catalog "
            f"(known: {', '.join(sorted(catalog.providers))})"
        )
    regions = catalog.providers[meta.provider].regions
    region = meta.region
    if region is None:
        if len(regions) != 1:
            raise StackMetadataError(
                f"{file}: provider {meta.provider!r} has several regions; "
                f"name one of {', '.join(sorted(regions))}"
            )
        region = next(iter(regions))
    if region not in regions:
        raise StackMetadataError(
            f"{file}: region {region!r} is not a region of {meta.provider!r} "
            f"(known: {', '.join(sorted(regions))})"
        )
    return Placement(meta.provider, region, regions[region].country)


def read_stack_names(folder: Path) -> tuple[str | None, str | None]:
    """(project, stack) from `folder/fedstack.json`, each None when the file does not say."""
    file = folder / METADATA_FILE
    try:
        meta = json.loads(file.read_text())
    except (OSError, ValueError):
        return None, None  # a missing file names nothing; a broken one fails in read_stack_metadata
    if not isinstance(meta, dict):
        return None, None
    project = meta.get("project")
    stack = meta.get("stack")
    return (
        project if isinstance(project, str) else None,
        stack if isinstance(stack, str) else None,
    )


def placement_for_region(region: str, catalog: Catalog) -> Placement | None:
    """The one catalog region called `region` (catalog or API name), or None if none or several."""
    matches = [
        Placement(provider_name, region_name, entry.country)
        for provider_name, provider in catalog.providers.items()
        for region_name, entry in provider.regions.items()
        if region in (region_name, entry.api_region)
    ]
    return matches[0] if len(matches) == 1 else None
