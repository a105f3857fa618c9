"""A federated app run as a script: a FedstackError ends it with one line, not a traceback.

The same handling for `python main.py`, `cdktf synth` (which runs `python main.py`) and
`fedstack synth|deploy|plan-placement` (which run the app through fedstack.stacks._entry and
show the message the app left in FEDSTACK_ERROR_OUT). Standard library and fedstack.errors only.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from fedstack import config
from fedstack.errors import FedstackError

__all__ = ["APP_ERROR_EXIT", "one_line_errors"]

APP_ERROR_EXIT = 1
"""The exit code of an app stopped by a FedstackError (1: an error, as for every command)."""


@contextlib.contextmanager
def one_line_errors() -> Iterator[None]:
    """Turn a FedstackError in the block into `fedstack: error: <message>` on stderr and exit 1."""
    try:
        yield
    except FedstackError as exc:
        message = str(exc)
        out = config.setting("FEDSTACK_ERROR_OUT")
        if out:  # started by the fedstack CLI, which shows the message as its own error
            Path(out).write_text(message)
        print(f"fedstack: error: {message}", file=sys.stderr)
        raise SystemExit(APP_ERROR_EXIT) from None
