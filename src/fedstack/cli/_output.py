"""Console output for the CLI: results on stdout, progress and errors on stderr, colour only on a terminal."""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table

from fedstack import config
from fedstack.errors import ConfigError

__all__ = ["BRIDGE_URL", "StackEvents", "print_json", "say_provider_mirror", "stderr", "stdout"]

_UNLIMITED = 1_000_000


class _Console(Console):
    """A Rich console that, without a terminal (CI logs, pipes), never cuts an identifier.

    Rich shrinks tables to 80 columns off a terminal and cuts what does not fit; here tables
    become Markdown rows at their natural width, and no colour is written (Rich's own rule).
    """

    def print(self, *objects: Any, **kwargs: Any) -> None:
        if self.is_terminal:
            super().print(*objects, **kwargs)
            return
        for item in objects:
            if isinstance(item, Table):
                item.box = box.MARKDOWN
                item.show_edge = True
                item.min_width = None
                item.width = None
                item.expand = False
                for column in item.columns:
                    column.no_wrap = True
                    column.overflow = "ignore"
        saved = self._width
        self._width = _UNLIMITED
        try:
            with self.capture() as captured:
                super().print(*objects, **kwargs)
        finally:
            self._width = saved
        # Rich pads to the table's width; a log wants no trailing blanks and no blank rows.
        lines = [line.rstrip() for line in captured.get().splitlines()]
        self.file.write("".join(f"{line}\n" for line in lines if line or len(lines) == 1))


stdout = _Console(highlight=False, soft_wrap=True)
stderr = _Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(value: Any) -> None:
    """Machine-readable output for --json: plain JSON on stdout, never coloured."""
    sys.stdout.write(json.dumps(value, indent=2, sort_keys=True, default=str) + "\n")


class _BridgeURL(click.ParamType):
    """A bridge's base address, http(s)://host[:port]; a path is a usage error."""

    name = "URL"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        try:
            return config.parse_bridge_url(str(value))
        except ConfigError as exc:
            self.fail(str(exc), param, ctx)


BRIDGE_URL = _BridgeURL()


class StackEvents:
    """Progress for logs (no terminal): one line per stack event, with the time it took.

    `stack: refresh-only plan (+3.2 s)` says the step before took 3.2 s; a final event
    (`done=True`) gives the stack's whole time instead. Only names and phases, never values.
    """

    def __init__(self, console: Console) -> None:
        self._console = console
        self._lock = threading.Lock()
        self._started: dict[str, float] = {}
        self._last: dict[str, float] = {}

    def __call__(self, stack: str, message: str, *, done: bool = False) -> None:
        now = time.monotonic()
        with self._lock:
            first = self._started.setdefault(stack, now)
            previous = self._last.get(stack, now)
            self._last[stack] = now
            took = f"{now - first:.1f} s in all" if done else f"+{now - previous:.1f} s"
            self._console.print(f"{stack}: {message} ({took})", markup=False)


def say_provider_mirror() -> None:
    """One line on stderr: where Terraform gets its providers from, and how that was chosen."""
    mirror, source = config.provider_mirror_source()
    if source == "FEDSTACK_PROVIDER_MIRROR":
        stderr.print(f"providers from the mirror {mirror} (FEDSTACK_PROVIDER_MIRROR)", markup=False)
    elif source == "found":
        stderr.print(
            f"providers from the mirror {mirror} (found; set FEDSTACK_PROVIDER_MIRROR to choose)",
            markup=False,
        )
    else:
        stderr.print(
            "providers from the registry (no mirror found; set FEDSTACK_PROVIDER_MIRROR for one)",
            markup=False,
        )
