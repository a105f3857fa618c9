"""Fixtures of the unmanaged tests: the bridge test helpers (tests/bridge) are reused, not copied."""

from __future__ import annotations

import sys
from pathlib import Path

# tests/bridge has no __init__.py: its helpers are top-level modules on its own folder.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bridge"))
