"""Read a synth output folder: the stacks of manifest.json and each one's fedstack.json."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fedstack.errors import FedstackError

__all__ = ["StackInfo", "read_stacks", "select_stacks"]


@dataclass(frozen=True)
class StackInfo:
    """One synthesized stack: its folder, the stacks it depends on, and its fedstack.json."""

    name: str
    workdir: Path
    dependencies: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def provider(self) -> str | None:
        """The catalog provider from fedstack.json (None for a stack fedstack did not make)."""
        return self.meta.get("provider")

    @property
    def region(self) -> str | None:
        """The catalog region from fedstack.json."""
        return self.meta.get("region")


def read_stacks(outdir: Path) -> list[StackInfo]:
    """The stacks of a synth output folder, in manifest order."""
    manifest_file = outdir / "manifest.json"
    try:
        manifest = json.loads(manifest_file.read_text())
    except OSError:
        raise FedstackError(f"{manifest_file} not found: run `fedstack synth` first") from None
    except ValueError as exc:
        raise FedstackError(f"{manifest_file} is not JSON: {exc}") from None
    stacks = []
    for name, entry in manifest.get("stacks", {}).items():
        workdir = outdir / entry.get("workingDirectory", f"stacks/{name}")
        meta_file = workdir / "fedstack.json"
        meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
        stacks.append(StackInfo(name, workdir, tuple(entry.get("dependencies", [])), meta))
    return stacks


def select_stacks(stacks: list[StackInfo], patterns: Sequence[str]) -> list[StackInfo]:
    """The stacks matching any of the glob patterns (all when there are none)."""
    if not patterns:
        return stacks
    chosen = [s for s in stacks if any(fnmatch.fnmatchcase(s.name, p) for p in patterns)]
    if not chosen:
        names = ", ".join(s.name for s in stacks) or "none"
        raise FedstackError(f"no stack matches {', '.join(patterns)} (stacks: {names})")
    return chosen
