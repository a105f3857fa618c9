"""The one place the agent imports the drift engine from (it is moving to fedstack.drift)."""

from fedstack.drift import DriftOptions, DriftReport, Stack, run_drift

__all__ = ["DriftOptions", "DriftReport", "Stack", "run_drift"]
