"""The agent's journal: where each claimed job stands, so a restart resumes it or fails it cleanly.

One JSON file, rewritten atomically (a temporary file, fsync, rename) at every phase change, so a
kill at any moment leaves either the old or the new content. It holds job parameters as Fulcrum
sent them (secrets there are vault:// references) and never module outputs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = ["Entry", "Journal", "Phase"]

Phase = Literal["claiming", "claimed", "applying", "applied"]
"""claiming: claim sent; claimed: ours, nothing changed yet; applying: Terraform may have changed
things; applied: Terraform finished, only the report to Fulcrum is left."""

_FORMAT = 1


@dataclass
class Entry:
    """One job between its claim and its report to Fulcrum."""

    job: dict[str, Any]
    phase: Phase
    pid: int
    updated_at: str = field(default_factory=lambda: _now())
    applying_since: str | None = None


class Journal:
    """The journal file of one agent (one per provider placement)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def entries(self) -> dict[str, Entry]:
        """Every unfinished job by id."""
        if not self.path.exists():
            return {}
        raw = json.loads(self.path.read_text())
        return {job_id: Entry(**entry) for job_id, entry in raw["jobs"].items()}

    def record(self, job_id: str, job: dict[str, Any], phase: Phase) -> Entry:
        """Set the phase of a job (the current process owns it from now on)."""
        with self._lock:
            entries = self.entries()
            entry = Entry(job=job, phase=phase, pid=os.getpid())
            previous = entries.get(job_id)
            if phase == "applying":
                entry.applying_since = _now()
            elif previous is not None:
                entry.applying_since = previous.applying_since
            entries[job_id] = entry
            self._write(entries)
            return entry

    def forget(self, job_id: str) -> None:
        """The job was reported to Fulcrum: nothing left to resume."""
        with self._lock:
            entries = self.entries()
            if entries.pop(job_id, None) is not None:
                self._write(entries)

    def _write(self, entries: dict[str, Entry]) -> None:
        body = {"format": _FORMAT, "jobs": {k: asdict(v) for k, v in entries.items()}}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".journal", suffix=".tmp")
        with os.fdopen(fd, "w") as handle:
            json.dump(body, handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
