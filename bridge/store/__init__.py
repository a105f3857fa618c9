"""The bridge's storage: SQLAlchemy 2 on SQLite (WAL) or PostgreSQL, migrated by Alembic.

States and their versions, locks, tokens, the audit log, the inventory, drift history and
live-state policy findings. Must not import the web framework: the CLI (`fedstack token
create`) uses it without starting a server.
"""

from fedstack.bridge.store._audit import read_audit, record
from fedstack.bridge.store._compliance import (
    PolicySource,
    clear_policy,
    evaluate_project,
    get_policy,
    list_policies,
    query_findings,
    set_policy,
)
from fedstack.bridge.store._counts import store_counts
from fedstack.bridge.store._drift import (
    DriftEvent,
    StoredRun,
    drift_overview,
    drifting_by_placement,
    get_run,
    list_runs,
    mask_sensitive,
    query_periods,
    run_series,
    stack_series,
    store_run,
)
from fedstack.bridge.store._engine import (
    is_sqlite,
    migrate,
    open_engine,
    wait_for_database,
    write_transaction,
)
from fedstack.bridge.store._inventory import (
    ENCRYPTED_NOTE,
    InventoryFilter,
    PlacementKey,
    inventory_by_placement,
    list_stacks,
    query_inventory,
    set_stack_placement,
    stack_summary,
    unindexed_stacks,
)
from fedstack.bridge.store._locks import (
    LockHolder,
    acquire,
    force_release,
    holder,
    parse_lock_info,
    release,
)
from fedstack.bridge.store._names import NAME_PATTERN, check_name
from fedstack.bridge.store._rows import on_row_wait
from fedstack.bridge.store._sealing import check_keys, reseal_versions
from fedstack.bridge.store._states import (
    StoredState,
    VersionInfo,
    WriteResult,
    delete_state,
    get_version,
    list_versions,
    read_current,
    restore_version,
    write_state,
)
from fedstack.bridge.store._tokens import (
    NewToken,
    create_token,
    list_tokens,
    revoke_token,
    verify_token,
)

__all__ = [
    "ENCRYPTED_NOTE",
    "NAME_PATTERN",
    "DriftEvent",
    "InventoryFilter",
    "LockHolder",
    "NewToken",
    "PlacementKey",
    "PolicySource",
    "StoredRun",
    "StoredState",
    "VersionInfo",
    "WriteResult",
    "acquire",
    "check_keys",
    "check_name",
    "clear_policy",
    "create_token",
    "delete_state",
    "drift_overview",
    "drifting_by_placement",
    "evaluate_project",
    "force_release",
    "get_policy",
    "get_run",
    "get_version",
    "holder",
    "inventory_by_placement",
    "is_sqlite",
    "list_policies",
    "list_runs",
    "list_stacks",
    "list_tokens",
    "list_versions",
    "mask_sensitive",
    "migrate",
    "on_row_wait",
    "open_engine",
    "parse_lock_info",
    "query_findings",
    "query_inventory",
    "query_periods",
    "read_audit",
    "read_current",
    "record",
    "release",
    "reseal_versions",
    "restore_version",
    "revoke_token",
    "run_series",
    "set_policy",
    "set_stack_placement",
    "stack_series",
    "stack_summary",
    "store_counts",
    "store_run",
    "unindexed_stacks",
    "verify_token",
    "wait_for_database",
    "write_state",
    "write_transaction",
]
