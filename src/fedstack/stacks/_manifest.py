"""Read a synth output folder: the stacks of manifest.json and each one's fedstack.json.

Both files are read through `fedstack.contracts` (the drift engine reads them the same way):
stacks sorted by name, and a broken file is one error naming it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fedstack.contracts import StackMetadata, read_manifest, read_stack_metadata
from fedstack.errors import FedstackError

__all__ = ["StackInfo", "read_stacks", "select_stacks"]


@dataclass(frozen=True)
class StackInfo:
    """One synthesized stack: its folder, the stacks it depends on, and its fedstack.json."""

    name: str
    workdir: Path
    dependencies: tuple[str, ...]
    meta: StackMetadata | None = None

    @property
    def provider(self) -> str | None:
        """The catalog provider from fedstack.json (None for a stack fedstack did not make)."""
        return self.meta.provider if self.meta else None

    @property
    def region(self) -> str | None:
        """The catalog region from fedstack.json."""
        return self.meta.region if self.meta else None


def read_stacks(outdir: Path) -> list[StackInfo]:
    """The stacks of a synth output folder, sorted by name."""
    return [
        StackInfo(s.name, s.workdir, s.dependencies, read_stack_metadata(s.workdir))
        for s in read_manifest(outdir)
    ]


def select_stacks(stacks: list[StackInfo], patterns: Sequence[str]) -> list[StackInfo]:
    """The stacks matching any of the glob patterns (all when there are none)."""
    if not patterns:
        return stacks
    chosen = [s for s in stacks if any(fnmatch.fnmatchcase(s.name, p) for p in patterns)]
    if not chosen:
        names = ", ".join(s.name for s in stacks) or "none"
        raise FedstackError(f"no stack matches {', '.join(patterns)} (stacks: {names})")
    return chosen
