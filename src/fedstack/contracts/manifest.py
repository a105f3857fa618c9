"""`cdktf.out/manifest.json`: the stacks a synth wrote, where each lives, what each depends on.

One reader for `fedstack deploy` and `fedstack drift`: stacks come back sorted by name (a
stable order whatever the writer's), and a missing or malformed manifest is a ManifestError
naming the file. Pure data: reads one file, no Terraform.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from fedstack.contracts.errors import ManifestError

__all__ = ["MANIFEST_FILE", "ManifestStack", "read_manifest"]

MANIFEST_FILE = "manifest.json"
"""The manifest a cdktf (or cdktn) synth writes at the top of its output folder."""


@dataclass(frozen=True)
class ManifestStack:
    """One stack of a manifest: its name, folder, synthesized file and the stacks it needs."""

    name: str
    workdir: Path
    file: Path
    dependencies: tuple[str, ...]


def read_manifest(out_dir: Path) -> list[ManifestStack]:
    """The stacks of `out_dir/manifest.json`, sorted by name."""
    manifest = out_dir / MANIFEST_FILE
    try:
        text = manifest.read_text()
    except OSError:
        raise ManifestError(f"{manifest} not found: run `fedstack synth` first") from None
    try:
        stacks = json.loads(text)["stacks"]
        entries = sorted(stacks.items())
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ManifestError(
            f"{manifest}: not a cdktf manifest (needs a 'stacks' object): {exc}"
        ) from None
    found = []
    for name, entry in entries:
        entry = entry if isinstance(entry, dict) else {}
        deps = entry.get("dependencies") or []
        found.append(
            ManifestStack(
                name=str(name),
                workdir=out_dir / str(entry.get("workingDirectory") or f"stacks/{name}"),
                file=out_dir
                / str(entry.get("synthesizedStackPath") or f"stacks/{name}/cdk.tf.json"),
                dependencies=tuple(str(d) for d in deps) if isinstance(deps, list) else (),
            )
        )
    return found
