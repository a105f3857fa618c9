"""Run the bridge under uvicorn (what `fedstack bridge serve` calls)."""

from __future__ import annotations

import logging

from fedstack.bridge._settings import BridgeSettings

__all__ = ["serve"]


def serve(settings: BridgeSettings, *, log_level: str = "info") -> None:
    """Serve the bridge on settings.host:settings.port until interrupted."""
    import uvicorn
    from fedstack.bridge._app import create_app
    from fedstack.bridge._crypto import keyring

    app = create_app(settings)
    engine = app.state.bridge.engine
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s:     %(message)s")
    logging.getLogger("fedstack.bridge").info(
        "database %s (migrated), auth %s, states sealed at rest: %s, state limit %d bytes",
        engine.url.render_as_string(hide_password=True),
        "on" if settings.auth else "OFF (loopback only)",
        "yes" if keyring() is not None else "no",
        settings.max_state_bytes,
    )
    if settings.webhook:
        from urllib.parse import urlsplit

        # The host only: a webhook URL often carries its secret in the path.
        logging.getLogger("fedstack.bridge").info(
            "drift webhook to %s", urlsplit(settings.webhook).netloc
        )
    # No access log: one line per state write is noise, and request lines are in /metrics.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=log_level, access_log=False)
