"""Fixtures of the unmanaged tests: tests/bridge's database fixtures, reused, not copied.

- `new_database`, `postgres`: tests/bridge/conftest.py's own fixtures (a fresh SQLite or
  PostgreSQL database; a throwaway PostgreSQL server on loopback).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_BRIDGE_TESTS = Path(__file__).resolve().parent.parent / "bridge"

_spec = importlib.util.spec_from_file_location("bridge_conftest", _BRIDGE_TESTS / "conftest.py")
assert _spec is not None and _spec.loader is not None
_bridge_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bridge_conftest)

postgres = _bridge_conftest.postgres
new_database = _bridge_conftest.new_database
