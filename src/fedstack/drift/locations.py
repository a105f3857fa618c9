"""Where a resource is declared in a stack's files, for report locations (SARIF, JUnit, Markdown).

A resource at the root is found by its `resource "TYPE" "NAME"` block (or its key in `*.tf.json`);
a resource inside a module by the root's `module "NAME"` call. Falls back to the stack's main
file, line 1. Text search only: no HCL parser, no Terraform.
"""

from __future__ import annotations

import re
from pathlib import Path

from fedstack.drift.stacks import config_files

__all__ = ["declaration_line"]


def declaration_line(folder: Path, address: str, type_: str, name: str) -> tuple[Path, int] | None:
    """(file, 1-based line) of the block declaring `address` at the root of `folder`, if found."""
    if address.startswith("module."):
        module = address.split(".")[1].split("[")[0]
        hcl = rf'^\s*module\s+"{re.escape(module)}"\s*\{{'
        json_keys = ("module", module)
    else:
        hcl = rf'^\s*resource\s+"{re.escape(type_)}"\s+"{re.escape(name)}"\s*\{{'
        json_keys = (type_, name)
    try:
        files = config_files(folder)
    except OSError:
        return None
    for file in files:
        try:
            lines = file.read_text(errors="replace").splitlines()
        except OSError:
            continue
        line = (
            _json_line(lines, json_keys) if file.name.endswith(".json") else _hcl_line(lines, hcl)
        )
        if line is not None:
            return file, line
    return None


def _hcl_line(lines: list[str], pattern: str) -> int | None:
    regex = re.compile(pattern)
    for number, text in enumerate(lines, start=1):
        if regex.match(text):
            return number
    return None


def _json_line(lines: list[str], keys: tuple[str, str]) -> int | None:
    # The outer key first, then the inner key on a later line: good enough for formatted JSON.
    outer, inner = (re.compile(rf'"{re.escape(k)}"\s*:') for k in keys)
    seen_outer = False
    for number, text in enumerate(lines, start=1):
        if not seen_outer:
            match = outer.search(text)
            seen_outer = match is not None
            if match is not None and inner.search(text[match.end() :]):
                return number
        elif inner.search(text):
            return number
    return None
