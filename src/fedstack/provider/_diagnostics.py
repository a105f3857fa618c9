"""Every failure becomes a Terraform diagnostic a user can act on, never a Python traceback.

Messages name the attribute (an attribute path) when one input is at fault. Nothing here ever
puts the provider's token into a message: bridge errors carry only the URL, status and reason.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from fedstack.errors import FedstackError
from tf.utils import Diagnostics

if TYPE_CHECKING:
    from fedstack.client import BridgeClientError

__all__ = ["InputError", "diagnose", "message_of"]


class InputError(FedstackError):
    """One input of a data source, resource or function is wrong; `path` names it."""

    def __init__(self, summary: str, detail: str = "", path: Sequence[str] = ()) -> None:
        super().__init__(summary if not detail else f"{summary}: {detail}")
        self.summary = summary
        self.detail = detail
        self.path = list(path)


def message_of(exc: BaseException) -> tuple[str, str]:
    """A summary and a detail for `exc`, with the bridge's answers told apart."""
    if isinstance(exc, InputError):
        return exc.summary, exc.detail
    # The bridge client (httpx) loads only when a bridge is used: no client, no such error.
    client = sys.modules.get("fedstack.client")
    if client is not None and isinstance(exc, client.BridgeClientError):
        return _bridge_message(exc)
    if isinstance(exc, FedstackError):
        return str(exc), ""
    return f"internal error in the fedstack provider: {type(exc).__name__}", str(exc)


@contextlib.contextmanager
def diagnose(diags: Diagnostics, path: Sequence[str] = ()) -> Iterator[None]:
    """Turn any exception in the block into one error diagnostic (at `path` unless it names one)."""
    try:
        yield
    except Exception as exc:  # every failure must reach Terraform as a diagnostic
        summary, detail = message_of(exc)
        where = exc.path if isinstance(exc, InputError) and exc.path else list(path)
        diags.add_error(summary, detail, path=where or None)


def _bridge_message(exc: BridgeClientError) -> tuple[str, str]:
    if exc.status is None:
        return "the fedstack bridge does not answer", str(exc)
    if exc.status == 401:
        return "the fedstack bridge refused the token", (
            "set token in the provider block (or FEDSTACK_BRIDGE_TOKEN, or TF_HTTP_PASSWORD) to "
            f"a valid bridge token: fedstack token create ({exc})"
        )
    if exc.status == 403:
        return "the bridge token lacks the scope for this", str(exc)
    if exc.status == 404:
        return "the fedstack bridge has no such object", str(exc)
    return "the fedstack bridge refused the request", str(exc)
