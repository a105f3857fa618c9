"""fedstack.drift: the drift engine of the core, run by the `fedstack drift` CLI (no server needed).

Finds stacks, runs refresh-only plans in parallel, reads `resource_drift` into masked
per-attribute diffs, applies ignore rules, and renders the versioned report in every format.
Must not import the web framework or cdktf: the CLI runs it without a server.
"""

from fedstack.drift.bridge_runs import check_bridge, post_runs, put_placements, split_by_project
from fedstack.drift.engine import DriftOptions, exit_code, run_drift
from fedstack.drift.errors import (
    DriftError,
    IgnoreRulesError,
    PlanFormatError,
    StackMetadataError,
)
from fedstack.drift.ignore import (
    APP_IGNORE_FILE,
    IgnoreRule,
    app_ignore_rules,
    apply_ignore_rules,
    load_ignore_rules,
)
from fedstack.drift.plan_json import DriftedResource, read_drift
from fedstack.drift.schema import SCHEMA_VERSION, DriftReport, Shard
from fedstack.drift.shards import default_run_group, parse_shard, select_shard
from fedstack.drift.stacks import Stack, discover_stacks
from fedstack.reports.drift import FILE_NAMES, FORMATS, parse_formats, render, write_reports
from fedstack.contracts import (
    METADATA_FILE,
    Placement,
    placement_for_region,
    read_stack_names,
    stack_placement,
)

__all__ = [
    "APP_IGNORE_FILE",
    "FILE_NAMES",
    "METADATA_FILE",
    "FORMATS",
    "SCHEMA_VERSION",
    "DriftError",
    "DriftOptions",
    "DriftReport",
    "DriftedResource",
    "IgnoreRule",
    "IgnoreRulesError",
    "Placement",
    "PlanFormatError",
    "Shard",
    "Stack",
    "StackMetadataError",
    "app_ignore_rules",
    "apply_ignore_rules",
    "check_bridge",
    "default_run_group",
    "discover_stacks",
    "exit_code",
    "load_ignore_rules",
    "parse_formats",
    "parse_shard",
    "placement_for_region",
    "post_runs",
    "put_placements",
    "read_drift",
    "read_stack_names",
    "render",
    "run_drift",
    "select_shard",
    "split_by_project",
    "stack_placement",
    "write_reports",
]
