"""fedstack.bridge.drift: the drift engine, shared by the `fedstack drift` CLI and the bridge.

Finds stacks, runs refresh-only plans in parallel, reads `resource_drift` into masked
per-attribute diffs, applies ignore rules, and renders the versioned report in every format.
Must not import the web framework or cdktf: the CLI runs it without a server.
"""

from fedstack.bridge.drift.client import bridge_token, post_run
from fedstack.bridge.drift.engine import DriftOptions, exit_code, run_drift
from fedstack.bridge.drift.errors import (
    BridgeError,
    DriftError,
    IgnoreRulesError,
    PlanFormatError,
    StackMetadataError,
)
from fedstack.bridge.drift.ignore import IgnoreRule, apply_ignore_rules, load_ignore_rules
from fedstack.bridge.drift.metadata import Placement, placement_for_region, read_stack_metadata
from fedstack.bridge.drift.plan_json import DriftedResource, read_drift
from fedstack.bridge.drift.render import FILE_NAMES, FORMATS, parse_formats, render, write_reports
from fedstack.bridge.drift.schema import SCHEMA_VERSION, DriftReport, Shard
from fedstack.bridge.drift.shards import default_run_group, parse_shard, select_shard
from fedstack.bridge.drift.stacks import Stack, discover_stacks

__all__ = [
    "FILE_NAMES",
    "FORMATS",
    "SCHEMA_VERSION",
    "BridgeError",
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
    "apply_ignore_rules",
    "bridge_token",
    "default_run_group",
    "discover_stacks",
    "exit_code",
    "load_ignore_rules",
    "parse_formats",
    "parse_shard",
    "placement_for_region",
    "post_run",
    "read_drift",
    "read_stack_metadata",
    "render",
    "run_drift",
    "select_shard",
    "write_reports",
]
