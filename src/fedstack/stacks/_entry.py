"""Runs a federated app file as `__main__`; a FedstackError becomes one line, not a traceback.

`fedstack synth` starts `python -m fedstack.stacks._entry main.py`, the way cdktf's CLI runs
`python main.py`; the message goes to the file named by FEDSTACK_ERROR_OUT for the CLI to show
(fedstack.stacks._script.one_line_errors, which an app may also use itself).
`--placement-out FILE main.py` (`fedstack plan-placement`) runs the script inside
`fedstack.cdk.placement_only(FILE)`: its `app.synth()` writes the placement plan only.
"""

from __future__ import annotations

import contextlib
import runpy
import sys
from contextlib import AbstractContextManager
from pathlib import Path

from fedstack.stacks._script import one_line_errors

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """Run argv[0] as a script with the rest as its arguments (exit 1 when a FedstackError stops it)."""
    scope: AbstractContextManager[None] = contextlib.nullcontext()
    if argv[:1] == ["--placement-out"]:
        from fedstack.cdk import placement_only  # the script imports the CDK layer anyway

        scope, argv = placement_only(Path(argv[1])), argv[2:]
    script = Path(argv[0]).resolve()
    sys.argv = [str(script), *argv[1:]]
    sys.path.insert(0, str(script.parent))
    with one_line_errors(), scope:
        runpy.run_path(str(script), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
