"""Settings: one name per setting, the same as flag, environment variable and config key.

Nothing here imports cdktf, jsii or the web framework.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fedstack.errors import ConfigError

__all__ = [
    "DEFAULT_BRIDGE_URL",
    "INTERNAL",
    "MIRROR_PLACES",
    "SETTINGS",
    "Setting",
    "bridge_url",
    "envvar",
    "home",
    "parse_bridge_url",
    "provider_mirror",
    "provider_mirror_source",
    "setting",
]


@dataclass(frozen=True)
class Setting:
    """One FEDSTACK_* setting: its variable, the flag named after it (if any), default and meaning."""

    name: str
    flags: tuple[str, ...]
    default: str | None
    meaning: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "FEDSTACK_HOME",
            (),
            "~/.local/state/fedstack",
            "sandbox state, default database, plugin cache",
        ),
        Setting(
            "FEDSTACK_TERRAFORM",
            (),
            None,
            "the Terraform/OpenTofu binary (default: tofu, then terraform on PATH)",
        ),
        Setting(
            "FEDSTACK_PROVIDER_MIRROR",
            (),
            None,
            "a provider filesystem mirror (default: one found in MIRROR_PLACES)",
        ),
        Setting(
            "FEDSTACK_BRIDGE_URL",
            ("--bridge",),
            None,
            "the bridge every stack uses as state backend (unset: local state)",
        ),
        Setting("FEDSTACK_CDK", (), None, "cdktf or cdktn: the CDK library of the CDK layer"),
        Setting(
            "FEDSTACK_DB",
            ("--db",),
            None,
            "the bridge's database URL (default FEDSTACK_HOME/bridge.sqlite3)",
        ),
        Setting("FEDSTACK_BRIDGE_KEY", (), None, "keys sealing state bodies at rest"),
        Setting(
            "FEDSTACK_BRIDGE_TOKEN",
            ("--token",),
            None,
            "the token clients send (falls back to TF_HTTP_PASSWORD)",
        ),
        Setting(
            "FEDSTACK_BRIDGE_MAX_STATE_BYTES",
            ("--max-state-bytes",),
            str(64 * 1024 * 1024),
            "largest state body the bridge accepts",
        ),
        Setting(
            "FEDSTACK_BRIDGE_KEEP_VERSIONS",
            ("--keep-versions",),
            "0",
            "keep only each stack's newest N state versions",
        ),
        Setting(
            "FEDSTACK_BRIDGE_NO_AUTH",
            ("--no-auth",),
            None,
            "1: every caller is admin (loopback only)",
        ),
        Setting(
            "FEDSTACK_BRIDGE_WEBHOOK", ("--webhook",), None, "where the bridge POSTs drift changes"
        ),
        Setting(
            "FEDSTACK_BRIDGE_PROJECT",
            (),
            None,
            "the project drift runs go to, for an all-projects token",
        ),
        Setting(
            "FEDSTACK_RUN_GROUP",
            ("--run-group",),
            None,
            "shards of one drift run share it (default: the CI's run id)",
        ),
        Setting(
            "FEDSTACK_AGENT_PROVIDER",
            ("--provider",),
            None,
            "the catalog provider `fedstack agent run` deploys to (Fulcrum's config template)",
        ),
        Setting(
            "FEDSTACK_AGENT_REGION",
            ("--region",),
            None,
            "the region of that provider for `fedstack agent run`",
        ),
    )
}
"""Every user-facing setting, declared once; the README's table and the CLI flags follow it."""

INTERNAL = (
    "FEDSTACK_PLACEMENT_OUT",
    "FEDSTACK_ERROR_OUT",
    "FEDSTACK_POLICY",
    "FEDSTACK_EXIT_EXCLUDE",
    "FEDSTACK_TEST_INDEX_DELAY",
)
"""Variables fedstack sets for the app processes it starts, and test hooks: not settings for users."""


def envvar(name: str) -> str:
    """`name`, checked to be a declared setting (for click's `envvar=`)."""
    if name not in SETTINGS:
        raise KeyError(f"{name} is not a declared setting (fedstack.config.SETTINGS)")
    return name


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


MIRROR_PLACES = (
    Path("/opt"),
    Path("/usr/share"),
    Path("/usr/local/share"),
    Path("/srv"),
    Path.home() / ".terraform.d",
    Path.home() / ".local" / "share" / "terraform",
)
"""Where a provider mirror is looked for when FEDSTACK_PROVIDER_MIRROR is unset (as the Makefile)."""


def provider_mirror() -> Path | None:
    """FEDSTACK_PROVIDER_MIRROR, else a folder in MIRROR_PLACES laid out as a Terraform mirror."""
    return provider_mirror_source()[0]


def provider_mirror_source() -> tuple[Path | None, str]:
    """The provider mirror and how it was chosen: "FEDSTACK_PROVIDER_MIRROR", "found" or "none"."""
    value = setting("FEDSTACK_PROVIDER_MIRROR")
    if value:
        return Path(value).expanduser().resolve(), "FEDSTACK_PROVIDER_MIRROR"
    found = _found_mirror()
    return (found, "found") if found else (None, "none")


@functools.cache
def _found_mirror() -> Path | None:
    # A mirror is <dir>/registry.terraform.io/<namespace>/<type>/...; bounded: 5 levels per place.
    for place in MIRROR_PLACES:
        if not place.is_dir():
            continue
        for folder, subdirs, _files in os.walk(place):
            depth = len(Path(folder).relative_to(place).parts)
            if "registry.terraform.io" in subdirs or "registry.opentofu.org" in subdirs:
                return Path(folder).resolve()
            if depth >= 5:
                subdirs[:] = []
            else:
                subdirs[:] = [d for d in subdirs if not d.startswith(".") or d == ".terraform.d"]
    return None


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
