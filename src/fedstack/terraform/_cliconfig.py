"""The runner's own Terraform CLI configuration: a filesystem mirror and a shared plugin cache.

The user's own CLI config is never read or written: fedstack writes a file of its own under
FEDSTACK_HOME and points only its child processes at it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from fedstack import config
from fedstack.errors import ConfigError

__all__ = ["plugin_cache_lock", "runner_environment"]


def _plugin_cache_dir(home: Path) -> Path:
    path = home / "terraform" / "plugin-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_atomically(path: Path, text: str) -> None:
    if path.exists() and path.read_text() == text:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _mirror_config(mirror: Path, cache: Path) -> str:
    # json.dumps gives a correctly escaped HCL string literal.
    return (
        f"plugin_cache_dir = {json.dumps(str(cache))}\n"
        # Terraform >= 1.4 ignores the cache when no lock file entry vouches for a provider;
        # every package here comes from a mirror the user chose, so the cache may be used.
        "plugin_cache_may_break_dependency_lock_file = true\n"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path = {json.dumps(str(mirror))}\n"
        "  }\n"
        "}\n"
    )


def runner_environment() -> dict[str, str]:
    """The whole environment of a Terraform child process: os.environ plus fedstack's settings."""
    home = config.home()
    cache = _plugin_cache_dir(home)
    env = {
        **os.environ,
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
    }
    mirror = config.provider_mirror()
    if mirror is None:
        if not os.environ.get("TF_PLUGIN_CACHE_DIR"):
            env["TF_PLUGIN_CACHE_DIR"] = str(cache)
        return env
    if not mirror.is_dir():
        raise ConfigError(f"FEDSTACK_PROVIDER_MIRROR={mirror} is not a directory")
    text = _mirror_config(mirror, cache)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    path = home / "terraform" / f"cli-{digest}.tfrc"
    _write_atomically(path, text)
    env["TF_CLI_CONFIG_FILE"] = str(path)
    # The variable would override the cache named in our config file.
    env.pop("TF_PLUGIN_CACHE_DIR", None)
    return env


@contextlib.contextmanager
def plugin_cache_lock(env: dict[str, str]) -> Iterator[None]:
    """Serialise `init` on the shared plugin cache: Terraform's cache is not safe for concurrent init."""
    cache = env.get("TF_PLUGIN_CACHE_DIR") or str(_plugin_cache_dir(config.home()))
    lock_path = Path(cache) / ".fedstack-init.lock"
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
