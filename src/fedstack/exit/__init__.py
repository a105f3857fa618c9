"""fedstack.exit: leave a provider (EU Data Act switching): plan the moves, copy the data.

`plan_exit` places an app as it stands and with the provider excluded (the one placement
engine, the same reasons) and compares; `copy_bucket` moves an object store's data between
two S3 endpoints, resumably and verified; `carry_out_exit` runs the whole move step by step. Must not import cdktf (the app runs in its own
process) nor the web framework.
"""

from fedstack.exit._copy import (
    DEFAULT_PART_SIZE,
    MIN_PART_SIZE,
    CopyJournal,
    CopyReport,
    copy_bucket,
)
from fedstack.exit._execute import (
    STEPS,
    ExitRun,
    OnStep,
    StepRecord,
    bridge_recorder,
    carry_out_exit,
)
from fedstack.exit._estate import EstatePlan, EstateResource, inventory_at, plan_estate_exit
from fedstack.exit._estimate import bucket_of, estimate_data, measure_bucket
from fedstack.exit._plan import (
    Blocked,
    DataEstimate,
    ExitBlocked,
    ExitError,
    ExitPlan,
    Move,
    Stay,
    build_exit_plan,
    plan_exit,
)

__all__ = [
    "DEFAULT_PART_SIZE",
    "MIN_PART_SIZE",
    "STEPS",
    "Blocked",
    "CopyJournal",
    "CopyReport",
    "DataEstimate",
    "EstatePlan",
    "EstateResource",
    "ExitBlocked",
    "ExitError",
    "ExitPlan",
    "ExitRun",
    "Move",
    "OnStep",
    "Stay",
    "StepRecord",
    "bridge_recorder",
    "bucket_of",
    "build_exit_plan",
    "carry_out_exit",
    "copy_bucket",
    "estimate_data",
    "inventory_at",
    "measure_bucket",
    "plan_estate_exit",
    "plan_exit",
]
