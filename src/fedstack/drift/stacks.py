"""Find the stacks to check: a cdktf.out folder (its manifest.json), or folders of Terraform files.

The rule for plain folders: a folder is a stack (a root module) when one of its `*.tf` or
`*.tf.json` files configures a provider or a backend (`provider` block, `terraform { backend }`
or `terraform { cloud }`); a folder given explicitly on the command line counts too. Folders
without either are taken for modules and skipped. `.terraform`, hidden folders and
`node_modules` are never entered. Pure file reading: no Terraform process.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from fedstack.drift.errors import DriftError

from fedstack.contracts import MANIFEST_FILE, ManifestError, read_manifest, read_stack_names
from fedstack.stacks import stack_identity

__all__ = ["Stack", "config_files", "discover_stacks", "is_root_module"]

_SKIP_DIRS = {".terraform", "node_modules", "__pycache__"}
# `provider "aws" {`, `backend "s3" {`, `cloud {` at the start of a line (HCL).
_HCL_ROOT = re.compile(r'^\s*(provider\s+"[^"]+"|backend\s+"[^"]+"|cloud)\s*\{', re.MULTILINE)


@dataclass(frozen=True)
class Stack:
    """One Terraform root module to check: its identity, its folder and its main file.

    `project`/`name` are the stack's identity, the same the bridge keeps its state under (see
    fedstack.stacks.stack_identity); project is None when only the folder names the stack.
    """

    name: str
    path: Path
    file: Path
    source: Literal["folder", "cdktf"]
    project: str | None = None


def config_files(folder: Path) -> list[Path]:
    """The folder's own Terraform configuration files (not its subfolders'), sorted."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name.endswith((".tf", ".tf.json"))
    )


def is_root_module(folder: Path) -> bool:
    """True when a configuration file in `folder` configures a provider or a backend."""
    for file in config_files(folder):
        try:
            text = file.read_text(errors="replace")
        except OSError:
            continue
        if file.name.endswith(".tf.json"):
            if _json_is_root(text):
                return True
        elif _HCL_ROOT.search(text):
            return True
    return False


def discover_stacks(paths: Sequence[str | os.PathLike[str]]) -> list[Stack]:
    """Every stack under `paths` (folders or cdktf.out folders), in a stable order, names unique."""
    found: list[Stack] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise DriftError(f"{path}: no such file or folder")
        if path.is_file() and path.name == MANIFEST_FILE:
            path = path.parent
        if not path.is_dir():
            raise DriftError(f"{path}: not a folder of Terraform stacks or a cdktf.out folder")
        if (path / MANIFEST_FILE).is_file() and (path / "stacks").is_dir():
            found += _from_manifest(path)
        else:
            found += _from_folder(path)
    if not found:
        shown = ", ".join(str(p) for p in paths)
        raise DriftError(
            f"no stacks found in {shown}: a stack is a folder whose *.tf or *.tf.json configures "
            "a provider or a backend, or a cdktf.out folder with manifest.json"
        )
    return _unique_names(found)


def _from_manifest(out_dir: Path) -> list[Stack]:
    try:
        entries = read_manifest(out_dir)
    except ManifestError as exc:
        raise DriftError(str(exc)) from None
    found = []
    for entry in entries:
        if not entry.file.is_file():
            raise DriftError(
                f"{out_dir / MANIFEST_FILE}: stack {entry.name!r} has no synthesized file at "
                f"{entry.file}; run synth"
            )
        found.append(
            _identified(entry.name, entry.workdir.resolve(), entry.file.resolve(), "cdktf")
        )
    return found


def _from_folder(top: Path) -> list[Stack]:
    top = top.resolve()
    found = []
    for folder in _walk(top):
        files = config_files(folder)
        if not files or not (folder == top or is_root_module(folder)):
            continue
        name = top.name if folder == top else folder.relative_to(top).as_posix()
        found.append(_identified(name, folder, _main_file(files), "folder"))
    return found


def _identified(name: str, folder: Path, file: Path, source: Literal["folder", "cdktf"]) -> Stack:
    """The stack under its identity; `name` (manifest key or folder path) when nothing else names it."""
    identity = stack_identity(folder, names=read_stack_names(folder))
    if identity.source != "folder":
        name = identity.stack
    return Stack(name=name, path=folder, file=file, source=source, project=identity.project)


def _walk(top: Path) -> Iterable[Path]:
    for folder, subdirs, _files in os.walk(top):
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIP_DIRS and not d.startswith("."))
        yield Path(folder)


def _main_file(files: list[Path]) -> Path:
    for preferred in ("main.tf", "main.tf.json", "cdk.tf.json"):
        for file in files:
            if file.name == preferred:
                return file
    return files[0]


def _json_is_root(text: str) -> bool:
    try:
        config = json.loads(text)
    except ValueError:
        return False
    if not isinstance(config, dict):
        return False
    if config.get("provider"):
        return True
    blocks = config.get("terraform") or {}
    for block in blocks if isinstance(blocks, list) else [blocks]:
        if isinstance(block, dict) and (block.get("backend") or block.get("cloud")):
            return True
    return False


def _unique_names(stacks: list[Stack]) -> list[Stack]:
    seen: dict[tuple[str | None, str], int] = {}
    paths: set[Path] = set()
    unique = []
    for stack in stacks:
        if stack.path in paths:  # the same stack reached through two arguments
            continue
        paths.add(stack.path)
        count = seen.get((stack.project, stack.name), 0) + 1
        seen[(stack.project, stack.name)] = count
        name = stack.name if count == 1 else f"{stack.name}-{count}"
        unique.append(replace(stack, name=name))
    return unique
