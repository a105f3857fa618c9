"""`fedstack.json`: the stack metadata the CDK layer writes beside each stack's configuration.

`{"provider": "sandbox-fr", "region": "fr-par", "project": "shop", "workload": "shop", "stack": "shop-..."}`:
written by the CDK layer, read by `fedstack deploy` (credentials per provider), the drift
engine (where a stack runs) and sent on to the bridge. One model, read strictly: an unknown key
or a file that is not JSON is a StackMetadataError naming the file, never a raw JSON error.
Pure data: reads and writes one file, no Terraform, no web framework.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from fedstack.contracts.errors import StackMetadataError
from fedstack.contracts.placement import Placement

if TYPE_CHECKING:
    from fedstack.catalog import Catalog

__all__ = [
    "METADATA_FILE",
    "StackMetadata",
    "read_stack_metadata",
    "read_stack_names",
    "stack_placement",
    "write_stack_metadata",
]

METADATA_FILE = "fedstack.json"
"""The stack metadata file, beside the stack's `*.tf` / `cdk.tf.json`."""


class StackMetadata(BaseModel):
    """Where a stack runs (catalog provider, region) and which workload and stack it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: str
    # Optional for hand-written files: a provider with one region needs none.
    region: str | None = None
    # The stack's identity when it has no bridge backend address (the CDK layer writes it).
    project: str | None = None
    workload: str | None = None
    stack: str | None = None

    def placement(self, catalog: Catalog, where: str = METADATA_FILE) -> Placement:
        """The placement checked against the catalog; StackMetadataError names `where`."""
        if self.provider not in catalog.providers:
            raise StackMetadataError(
                f"{where}: provider {self.provider!r} is not in the catalog "
                f"(known: {', '.join(sorted(catalog.providers))})"
            )
        regions = catalog.providers[self.provider].regions
        region = self.region
        if region is None:
            if len(regions) != 1:
                raise StackMetadataError(
                    f"{where}: provider {self.provider!r} has several regions; "
                    f"name one of {', '.join(sorted(regions))}"
                )
            region = next(iter(regions))
        if region not in regions:
            raise StackMetadataError(
                f"{where}: region {region!r} is not a region of {self.provider!r} "
                f"(known: {', '.join(sorted(regions))})"
            )
        return Placement(self.provider, region, regions[region].country)


def read_stack_metadata(folder: Path) -> StackMetadata | None:
    """The metadata in `folder/fedstack.json`, None when there is no such file."""
    file = folder / METADATA_FILE
    if not file.is_file():
        return None
    try:
        return StackMetadata.model_validate(json.loads(file.read_text()))
    except (OSError, ValueError) as exc:
        first = exc.errors()[0] if isinstance(exc, ValidationError) else None
        reason = f"{'.'.join(map(str, first['loc']))}: {first['msg']}" if first else str(exc)
        raise StackMetadataError(
            f"{file}: not a stack metadata file ({reason}); expected "
            '{"provider": "<catalog provider>", "region": "<its region>"}'
        ) from None


def write_stack_metadata(folder: Path, metadata: StackMetadata) -> Path:
    """Write `folder/fedstack.json` (the folder is created when missing); returns the file."""
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / METADATA_FILE
    file.write_text(json.dumps(metadata.model_dump(), indent=2) + "\n")
    return file


def stack_placement(folder: Path, catalog: Catalog) -> Placement | None:
    """The placement `folder/fedstack.json` declares, checked; None when there is no such file."""
    metadata = read_stack_metadata(folder)
    return None if metadata is None else metadata.placement(catalog, str(folder / METADATA_FILE))


def read_stack_names(folder: Path) -> tuple[str | None, str | None]:
    """(project, stack) from `folder/fedstack.json`, each None when the file does not say.

    Lenient: a missing or broken file names nothing here (reading the placement reports it).
    """
    try:
        metadata = read_stack_metadata(folder)
    except StackMetadataError:
        return None, None
    return (None, None) if metadata is None else (metadata.project, metadata.stack)
