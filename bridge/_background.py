"""Run a bridge inside this process, in a background thread (for the demo and for tests).

`fedstack bridge serve` is the way to run a bridge for real; this is for a caller that needs
one for the length of a `with` block.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from fedstack.bridge._settings import BridgeSettings

from fedstack.errors import FedstackError

__all__ = ["running_bridge"]


@contextmanager
def running_bridge(settings: BridgeSettings, *, start_timeout: float = 30.0) -> Iterator[str]:
    """Serve the bridge in a thread until the block ends; yields its base URL (port 0: any free port)."""
    import uvicorn
    from fedstack.bridge._app import create_app

    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="fedstack-bridge", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise FedstackError(f"the bridge did not start on {settings.host}:{settings.port}")
        time.sleep(0.02)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        app.state.bridge.indexer.stop()
        app.state.bridge.engine.dispose()
