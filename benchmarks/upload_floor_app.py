"""The upload floor of `bridge_throughput.py`: uvicorn with a bare ASGI app, no bridge.

`POST /sink` reads the body and answers 204: what any HTTP server here pays to receive the
bytes. `POST /receive` also runs the bridge's `receive_state` on it in a worker thread (parse,
MD5 and SHA-256, compression), as the bridge's state route does before it stores anything: the
work a POST must do to refuse a malformed state before acknowledging it.

    .venv/bin/python benchmarks/upload_floor_app.py --port 8765
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn
from starlette.concurrency import run_in_threadpool

try:
    from fedstack.bridge._statefile import receive_state
except ImportError:  # a bridge from before receive_state (2026-12-04), for side-by-side runs
    from fedstack.bridge._statefile import parse_state as receive_state

Scope = dict[str, Any]
Message = dict[str, Any]


async def app(
    scope: Scope,
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] != "http":
        return
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = b"".join(chunks)
    if scope["path"] == "/receive":
        await run_in_threadpool(receive_state, body)
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
