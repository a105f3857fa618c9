"""The bridge starts without Node: nothing on its import path pulls in cdktf or jsii."""

from __future__ import annotations

import subprocess
import sys

_CHECK = """
import sys
import fedstack.bridge, fedstack.cli
light = sorted(m for m in ("fastapi", "sqlalchemy", "uvicorn", "cdktf", "jsii") if m in sys.modules)
from fedstack.bridge import create_app, BridgeClient
import fedstack.bridge.store
heavy = sorted(m for m in ("cdktf", "jsii", "constructs") if m in sys.modules)
print(light, heavy)
"""


def test_bridge_and_cli_import_without_cdktf_and_lazily() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHECK], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[] []"
