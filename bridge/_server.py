"""Run the bridge under uvicorn (what `fedstack bridge serve` calls)."""

from __future__ import annotations

from fedstack.bridge._settings import BridgeSettings

__all__ = ["serve"]


def serve(settings: BridgeSettings, *, log_level: str = "info") -> None:
    """Serve the bridge on settings.host:settings.port until interrupted."""
    import uvicorn
    from fedstack.bridge._app import create_app

    app = create_app(settings)
    # No access log: request lines carry stack names only, but one line per state write is noise.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=log_level, access_log=False)
