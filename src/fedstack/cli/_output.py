"""Console output for the CLI: results on stdout, progress and errors on stderr, colour only on a terminal."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

__all__ = ["print_json", "stderr", "stdout"]

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(value: Any) -> None:
    """Machine-readable output for --json: plain JSON on stdout, never coloured."""
    sys.stdout.write(json.dumps(value, indent=2, sort_keys=True, default=str) + "\n")
