"""Every FEDSTACK_* setting is declared once (fedstack.config.SETTINGS): the code reads only
declared names, each CLI flag reading a variable carries the flag named for it, and the README's
configuration table lists exactly the declared settings."""

from __future__ import annotations

import re
from pathlib import Path

import click

from fedstack import config
from fedstack.cli import cli

REPO = Path(__file__).resolve().parents[2]


def _options() -> list[click.Option]:
    found: list[click.Option] = []

    def walk(command: click.Command) -> None:
        found.extend(p for p in command.params if isinstance(p, click.Option))
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                walk(sub)

    walk(cli)
    return found


def test_the_code_reads_only_declared_settings() -> None:
    used: set[str] = set()
    for root in ("src/fedstack", "bridge", "cdk"):
        for file in (REPO / root).rglob("*.py"):
            used |= set(re.findall(r"\b(FEDSTACK_[A-Z_]+[A-Z])\b", file.read_text()))
    used -= {"FEDSTACK_DOCS"}  # BEGIN_/END_FEDSTACK_DOCS markers in module READMEs
    undeclared = used - set(config.SETTINGS) - set(config.INTERNAL)
    assert not undeclared, f"declare these in fedstack.config.SETTINGS: {sorted(undeclared)}"


def test_a_flag_reading_a_variable_has_the_declared_name() -> None:
    seen: set[str] = set()
    for option in _options():
        names = [option.envvar] if isinstance(option.envvar, str) else list(option.envvar or [])
        for name in names:
            declared = config.SETTINGS.get(name)
            assert declared is not None, f"{option.opts} reads undeclared {name}"
            assert set(declared.flags) <= set(option.opts), (option.opts, declared)
            seen.add(name)
    flagged = {name for name, s in config.SETTINGS.items() if s.flags}
    assert flagged <= seen, f"declared flags no command has: {sorted(flagged - seen)}"


def test_the_readme_lists_exactly_the_declared_settings() -> None:
    text = (REPO / "README.md").read_text()
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `(FEDSTACK_[A-Z_]+)` \|", section, re.M)
    assert sorted(listed) == sorted(config.SETTINGS)
