"""`fedstack bridge serve`: run the state backend, inventory and audit service."""

from __future__ import annotations

import click

from fedstack.cli._output import stderr, stdout
from fedstack.errors import ConfigError

__all__ = ["bridge"]


@click.group()
def bridge() -> None:
    """Run the bridge: Terraform HTTP state backend, inventory and audit log.

    \b
    Examples:
      fedstack bridge serve                            # SQLite under FEDSTACK_HOME, port 8700
      fedstack bridge serve --db postgresql://u:p@db/fedstack --host 0.0.0.0 --port 8700
      fedstack bridge serve --no-auth                  # local development only (loopback)
      fedstack bridge serve --webhook https://hooks.example.eu/drift   # drift changes
      export FEDSTACK_BRIDGE_KEY=$(fedstack bridge keygen)   # seal states at rest
    """


@bridge.command()
@click.option(
    "--db",
    "db_url",
    envvar="FEDSTACK_DB",
    help="Database URL (FEDSTACK_DB): sqlite:///file or postgresql://...; default a SQLite file under FEDSTACK_HOME.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port", default=8700, show_default=True, type=click.IntRange(0, 65535), help="Port to bind."
)
@click.option(
    "--max-state-bytes",
    "--max-state-size",  # the 0.1 name, kept working
    "max_state_bytes",
    type=click.IntRange(1024),
    envvar="FEDSTACK_BRIDGE_MAX_STATE_BYTES",
    help="Largest state body accepted, in bytes (default 64 MiB).",
)
@click.option(
    "--keep-versions",
    type=click.IntRange(0),
    envvar="FEDSTACK_BRIDGE_KEEP_VERSIONS",
    help="Keep only each stack's newest N versions (default 0: keep every version).",
)
@click.option(
    "--no-auth",
    is_flag=True,
    envvar="FEDSTACK_BRIDGE_NO_AUTH",
    help="Treat every caller as admin; only allowed on a loopback --host.",
)
@click.option(
    "--webhook",
    envvar="FEDSTACK_BRIDGE_WEBHOOK",
    metavar="URL",
    help="POST newly drifted and newly resolved resources here as JSON (FEDSTACK_BRIDGE_WEBHOOK).",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(
    db_url: str | None,
    host: str,
    port: int,
    max_state_bytes: int | None,
    keep_versions: int | None,
    no_auth: bool,
    webhook: str | None,
    log_level: str,
) -> None:
    """Serve the bridge until interrupted (migrates the database first).

    \b
    Point Terraform at it with a backend "http" block:
      address        = "http://127.0.0.1:8700/v1/states/<project>/<stack>"
      lock_address   = "http://127.0.0.1:8700/v1/states/<project>/<stack>/lock"
      unlock_address = "http://127.0.0.1:8700/v1/states/<project>/<stack>/lock"
    and export TF_HTTP_USERNAME=fedstack TF_HTTP_PASSWORD=<token from `fedstack token create`>.
    The dashboard is at http://127.0.0.1:8700/dashboard (an inventory:read token as basic-auth password).

    \b
    Examples:
      fedstack bridge serve
      fedstack bridge serve --port 8701 --db sqlite:///bridge.sqlite3
    """
    from fedstack.bridge import serve as run
    from fedstack.bridge import BridgeSettings

    settings = BridgeSettings.from_env(
        db_url=db_url,
        host=host,
        port=port,
        max_state_bytes=max_state_bytes,
        keep_versions=keep_versions,
        auth=not no_auth,
        webhook=webhook,
    )
    if no_auth:
        stderr.print("[yellow]auth is off: every caller on this machine is admin[/]")
    _check_port_free(host, port)
    run(settings, log_level=log_level)


def _check_port_free(host: str, port: int) -> None:
    """One clear line for a busy port, instead of uvicorn's start-up and shut-down logs."""
    import errno
    import socket

    if port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError(
                    f"port {port} on {host} is in use (another bridge?): stop it or pass --port"
                ) from None
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


@bridge.command()
def keygen() -> None:
    """Print a new random key for FEDSTACK_BRIDGE_KEY (AES-256, base64).

    \b
    Example:
      export FEDSTACK_BRIDGE_KEY=$(fedstack bridge keygen)
    """
    from fedstack.bridge import generate_key

    stdout.print(generate_key())


@bridge.command(name="rotate-key")
@click.option(
    "--db",
    "db_url",
    envvar="FEDSTACK_DB",
    help="Database URL (FEDSTACK_DB); default the SQLite file under FEDSTACK_HOME.",
)
def rotate_key(db_url: str | None) -> None:
    """Re-seal every state version under the first key of FEDSTACK_BRIDGE_KEY.

    Also seals versions stored before encryption was turned on. Contents, hashes and version
    numbers stay the same; only the seal changes.

    Restart every running bridge with the new key list before running it: a bridge still on
    the old key alone answers 503 for re-sealed versions until it is restarted.

    \b
    Example (rotation):
      export FEDSTACK_BRIDGE_KEY="$(fedstack bridge keygen),$FEDSTACK_BRIDGE_KEY"
      # restart the bridge(s) with this FEDSTACK_BRIDGE_KEY, then:
      fedstack bridge rotate-key
      export FEDSTACK_BRIDGE_KEY="<the new key only>"   # then restart the bridge(s) again
    """
    from fedstack.bridge import default_db_url
    from fedstack.bridge.store import is_sqlite, migrate, open_engine, reseal_versions

    engine = open_engine(db_url or default_db_url())
    migrate(engine)
    count = reseal_versions(engine)
    stdout.print(f"re-sealed {count} state version(s) under the primary key")
    if count:
        # The database keeps the replaced bodies (plaintext, or sealed with the old key) in
        # free pages or dead tuples and in its write-ahead log until they are vacuumed.
        if is_sqlite(engine):
            stdout.print(
                "old bodies stay in the file's free pages until you run: "
                f"sqlite3 {engine.url.database} 'VACUUM'  (then back up again, drop old backups)"
            )
        else:
            stdout.print(
                "old bodies stay in dead tuples and WAL until you run: "
                "psql -c 'VACUUM FULL state_versions' then CHECKPOINT  (archived WAL and "
                "backups keep them: rotate those too)"
            )
