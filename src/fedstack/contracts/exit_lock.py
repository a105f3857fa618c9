"""`fedstack.exits.json`: the providers (or regions) an app has left, kept next to its main.py.

Written by `fedstack exit` once a move is decided, read by every placement of the app
(`FederatedApp`) so that the next synth does not move the components back. Pure data.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from fedstack.contracts.errors import ContractError

__all__ = ["EXIT_LOCK_FILE", "ExitLock", "ExitRecord", "read_exit_lock", "write_exit_lock"]

EXIT_LOCK_FILE = "fedstack.exits.json"


class ExitRecord(BaseModel):
    """One exit: the provider left (all its regions when region is None) and when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: str
    region: str | None = None
    at: str = ""

    @property
    def excluded(self) -> str:
        """What the placement engine excludes: `provider` or `provider/region`."""
        return f"{self.provider}/{self.region}" if self.region else self.provider


class ExitLock(BaseModel):
    """Every exit of one app, oldest first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = 1
    exits: list[ExitRecord] = Field(default_factory=list)

    def excluded(self) -> tuple[str, ...]:
        """The placement exclusions, in order, without repeats."""
        return tuple(dict.fromkeys(e.excluded for e in self.exits))

    def with_exit(self, record: ExitRecord) -> ExitLock:
        """This lock plus `record` (unchanged when that exit is already recorded)."""
        if record.excluded in self.excluded():
            return self
        return self.model_copy(update={"exits": [*self.exits, record]})


def read_exit_lock(folder: Path) -> ExitLock:
    """The lock in `folder` (empty when there is none); ContractError names a malformed file."""
    file = Path(folder) / EXIT_LOCK_FILE
    if not file.is_file():
        return ExitLock()
    try:
        return ExitLock.model_validate_json(file.read_bytes())
    except (OSError, ValueError) as exc:
        raise ContractError(f"{file}: not an exit lock: {exc}") from None


def write_exit_lock(folder: Path, lock: ExitLock) -> Path:
    """Write `lock` into `folder` (atomically: a reader never sees half a file)."""
    file = Path(folder) / EXIT_LOCK_FILE
    partial = file.with_suffix(".json.partial")
    partial.write_text(lock.model_dump_json(indent=2) + "\n")
    partial.replace(file)
    return file
