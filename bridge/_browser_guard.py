"""Refuse cross-site writes: browser-simple content types and foreign origins on state changes.

A browser sends a "simple" cross-site request without asking the server first (no CORS
preflight) when its body is `text/plain` or a form type, and it attaches remembered basic-auth
credentials to it. Terraform, OpenTofu and the bridge's own clients send JSON and no `Origin`,
so a state-changing request with a form type (415) or another site's `Origin` (403) is refused
before any route runs. Plain ASGI: must not import the web framework.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

__all__ = ["BROWSER_SIMPLE_TYPES", "BrowserGuard"]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BROWSER_SIMPLE_TYPES = frozenset(
    {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}
)
"""The content types a cross-site form or fetch may send without a CORS preflight."""
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def refusal(scope: Scope) -> tuple[int, str] | None:
    """(status, message) when this request must not reach a state-changing route, else None."""
    if scope["type"] != "http" or scope["method"] in _SAFE_METHODS:
        return None
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type in BROWSER_SIMPLE_TYPES:
        return 415, (
            f"Content-Type {media_type} is refused on state-changing requests (a browser form "
            "can send it cross-site); send the body as application/json"
        )
    origin = headers.get("origin")
    if origin is not None and urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
        return 403, f"cross-site request from {origin} refused on a state-changing route"
    return None


class BrowserGuard:
    """ASGI middleware answering `refusal()` requests with a JSON error before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refused = refusal(scope)
        if refused is None:
            await self._app(scope, receive, send)
            return
        status, message = refused
        body = json.dumps({"error": message}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
