"""Console output for the CLI: results on stdout, progress and errors on stderr, colour only on a terminal."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console

from fedstack import config
from fedstack.errors import ConfigError

__all__ = ["BRIDGE_URL", "print_json", "stderr", "stdout"]

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


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
