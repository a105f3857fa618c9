"""Settings: one name per setting, the same as flag, environment variable and config key.

Nothing here imports cdktf, jsii or the web framework.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from fedstack.errors import ConfigError

__all__ = [
    "DEFAULT_BRIDGE_URL",
    "bridge_url",
    "home",
    "parse_bridge_url",
    "provider_mirror",
    "setting",
]


def setting(name: str, default: str | None = None) -> str | None:
    """Read one FEDSTACK_* setting from the environment; empty counts as unset."""
    value = os.environ.get(name, "").strip()
    return value or default


def home() -> Path:
    """FEDSTACK_HOME: sandbox state, the default SQLite database and the plugin cache."""
    explicit = setting("FEDSTACK_HOME")
    if explicit:
        path = Path(explicit).expanduser()
    else:
        state_root = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
        path = state_root / "fedstack"
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def provider_mirror() -> Path | None:
    """FEDSTACK_PROVIDER_MIRROR: a Terraform filesystem mirror to install providers from."""
    value = setting("FEDSTACK_PROVIDER_MIRROR")
    return Path(value).expanduser().resolve() if value else None


DEFAULT_BRIDGE_URL = "http://127.0.0.1:8700"
"""Where `fedstack bridge serve` listens by default, and where clients look without a URL."""


def bridge_url() -> str | None:
    """FEDSTACK_BRIDGE_URL: the bridge every stack uses as state backend; unset means local."""
    value = setting("FEDSTACK_BRIDGE_URL")
    return parse_bridge_url(value) if value else None


def parse_bridge_url(value: str) -> str:
    """A bridge's base address (`http(s)://host[:port]`), without a trailing slash.

    A path is refused: the bridge's routes hang off its root, so `.../v1/states/a/b` or
    `.../dashboard` would post to an address that does not exist.
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"bridge URL {value!r} is not an http(s)://host[:port] address")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ConfigError(
            f"bridge URL {value!r} has a path; give the bridge's base address only, "
            f"such as {parts.scheme}://{parts.netloc}"
        )
    return f"{parts.scheme}://{parts.netloc}"
