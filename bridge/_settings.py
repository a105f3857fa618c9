"""Settings of one bridge process: database, bind address, limits, auth mode.

One name per setting, the same as flag and environment variable (FEDSTACK_DB, ...).
Must not import the web framework or the database layer.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from fedstack import config
from fedstack.errors import ConfigError

__all__ = ["DEFAULT_MAX_STATE_BYTES", "BridgeSettings", "default_db_url", "is_loopback"]

DEFAULT_MAX_STATE_BYTES = 64 * 1024 * 1024
"""64 MiB: far above real states, low enough to refuse a runaway upload."""


def default_db_url() -> str:
    """FEDSTACK_DB, or a SQLite file under FEDSTACK_HOME."""
    return config.setting("FEDSTACK_DB") or f"sqlite:///{config.home() / 'bridge.sqlite3'}"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and `localhost`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class BridgeSettings:
    """Everything one bridge process needs to start."""

    db_url: str
    host: str = "127.0.0.1"
    port: int = 8700
    max_state_bytes: int = DEFAULT_MAX_STATE_BYTES
    # 0 keeps every version forever; N keeps a stack's newest N (an explicit choice, never a default).
    keep_versions: int = 0
    auth: bool = True
    # Where drift changes (newly drifted, newly resolved) are POSTed as JSON; None: no webhook.
    webhook: str | None = None

    def __post_init__(self) -> None:
        if self.max_state_bytes < 1024:
            raise ConfigError(
                f"the state size limit must be at least 1024 bytes, not {self.max_state_bytes}"
            )
        if self.keep_versions < 0:
            raise ConfigError(
                f"keep-versions must be 0 (keep all) or more, not {self.keep_versions}"
            )
        if self.webhook is not None and not self.webhook.startswith(("http://", "https://")):
            raise ConfigError(
                f"the webhook must be an http:// or https:// URL, not {self.webhook[:40]!r}"
            )
        # Without auth anyone who reaches the port is admin: only the local machine may.
        if not self.auth and not is_loopback(self.host):
            raise ConfigError(
                f"--no-auth is only allowed on a loopback address, not {self.host!r}; "
                "create a token with `fedstack token create` instead"
            )

    @classmethod
    def from_env(cls, **overrides: object) -> BridgeSettings:
        """Settings from FEDSTACK_* variables; keyword arguments (flags) win when not None."""
        values: dict[str, object] = {
            "db_url": default_db_url(),
            "max_state_bytes": _int_setting(
                "FEDSTACK_BRIDGE_MAX_STATE_BYTES", DEFAULT_MAX_STATE_BYTES
            ),
            "keep_versions": _int_setting("FEDSTACK_BRIDGE_KEEP_VERSIONS", 0),
            "auth": config.setting("FEDSTACK_BRIDGE_NO_AUTH", "0") not in ("1", "true", "yes"),
            "webhook": config.setting("FEDSTACK_BRIDGE_WEBHOOK"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _int_setting(name: str, default: int) -> int:
    raw = config.setting(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of bytes, not {raw!r}") from None
