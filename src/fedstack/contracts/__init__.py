"""fedstack.contracts: the data both halves share, defined once.

`Placement` and the region resolver, the stack metadata (`fedstack.json`), the synth
manifest (`cdktf.out/manifest.json`), the placement plan (`placement.json`), the plan JSON of
`terraform show -json` with its one format check, the one masking rule, and the one syntax
of a token's expiry (`30d`). Every writer and
every reader imports these. The bottom of the core: must not import cdktf, the web framework,
the database layer, or any other fedstack package than `fedstack.errors` (the catalog only
for type hints).
"""

from __future__ import annotations

from fedstack.contracts.errors import (
    ContractError,
    ManifestError,
    PlanFormatError,
    StackMetadataError,
)
from fedstack.contracts.exit_lock import (
    EXIT_LOCK_FILE,
    ExitLock,
    ExitRecord,
    read_exit_lock,
    write_exit_lock,
)
from fedstack.contracts.expiry import EXPIRY_FORMS, future_expiry, parse_duration, parse_expiry
from fedstack.contracts.manifest import MANIFEST_FILE, ManifestStack, read_manifest
from fedstack.contracts.masking import (
    MASK,
    SecretValues,
    has_credentials,
    is_secret_name,
    must_mask,
)
from fedstack.contracts.placement import (
    Location,
    Placement,
    guess_location,
    match_region,
    placement_for_region,
    placement_of,
    region_matches,
)
from fedstack.contracts.placement_plan import (
    CandidateRecord,
    DecisionRecord,
    PlacementPlan,
    ReasonRecord,
    WorkloadPlan,
    read_placement_plan,
)
from fedstack.contracts.plan_json import SUPPORTED_MAJOR, PlanJson, check_format, load_plan_json
from fedstack.contracts.stack_metadata import (
    METADATA_FILE,
    StackMetadata,
    read_stack_metadata,
    read_stack_names,
    stack_placement,
    write_stack_metadata,
)

__all__ = [
    "EXIT_LOCK_FILE",
    "EXPIRY_FORMS",
    "MANIFEST_FILE",
    "MASK",
    "METADATA_FILE",
    "SUPPORTED_MAJOR",
    "CandidateRecord",
    "ContractError",
    "DecisionRecord",
    "ExitLock",
    "ExitRecord",
    "Location",
    "ManifestError",
    "ManifestStack",
    "Placement",
    "PlacementPlan",
    "PlanFormatError",
    "PlanJson",
    "ReasonRecord",
    "SecretValues",
    "StackMetadata",
    "StackMetadataError",
    "WorkloadPlan",
    "check_format",
    "future_expiry",
    "guess_location",
    "has_credentials",
    "is_secret_name",
    "load_plan_json",
    "match_region",
    "must_mask",
    "parse_duration",
    "parse_expiry",
    "placement_for_region",
    "placement_of",
    "read_exit_lock",
    "read_manifest",
    "read_placement_plan",
    "read_stack_metadata",
    "read_stack_names",
    "region_matches",
    "stack_placement",
    "write_exit_lock",
    "write_stack_metadata",
]
