"""Lay the provider out in a Terraform filesystem mirror (the unpacked layout).

`DIR/HOST/NAMESPACE/TYPE/VERSION/OS_ARCH/terraform-provider-fedstack_vVERSION` is a small
launcher that runs `fedstack.provider` with the interpreter that installed it. Terraform hashes
the unpacked directory itself (`h1:`), so the lock file gets real hashes with no registry.
Must not import the provider framework.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import fedstack
from fedstack import config
from fedstack.errors import ConfigError

__all__ = ["HOSTNAME", "NAMESPACE", "SOURCE", "TYPE", "Installed", "default_mirror", "install"]

HOSTNAME = "fedstack.local"
NAMESPACE = "fedstack"
TYPE = "fedstack"
SOURCE = f"{HOSTNAME}/{NAMESPACE}/{TYPE}"
"""The source address to put in `required_providers`."""

_ARCHES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


@dataclass(frozen=True)
class Installed:
    """Where one version of the provider was laid out, and how Terraform finds it."""

    mirror: Path
    version: str
    executable: Path
    implied: bool
    """True when `mirror` is Terraform's implied local mirror (found without a CLI config)."""

    @property
    def source_line(self) -> str:
        """The `source = "..."` line for `required_providers`."""
        return f'source = "{SOURCE}"'

    def cli_config(self) -> str:
        """A `provider_installation` block for users with an explicit CLI configuration."""
        return (
            "provider_installation {\n"
            "  filesystem_mirror {\n"
            f"    path    = {json.dumps(str(self.mirror))}\n"
            f'    include = ["{SOURCE}"]\n'
            "  }\n"
            "  direct {\n"
            f'    exclude = ["{SOURCE}"]\n'
            "  }\n"
            "}\n"
        )


def os_arch() -> str:
    """This machine's Terraform platform name, such as `linux_amd64`."""
    machine = platform.machine().lower()
    arch = _ARCHES.get(machine)
    if arch is None:
        raise ConfigError(f"no Terraform platform name known for machine type {machine!r}")
    return f"{sys.platform.removesuffix('2')}_{arch}"


def default_mirror() -> tuple[Path, bool]:
    """FEDSTACK_PROVIDER_MIRROR when set, else Terraform's implied local mirror in the home.

    The second value is True for the implied mirror. On Linux Terraform looks in
    `$XDG_DATA_HOME/terraform/plugins` and `~/.terraform.d/plugins`, among others.
    """
    # Only the explicit setting: a mirror found in the usual places (config.provider_mirror)
    # is somebody's shared read-only mirror, not where a user expects this provider to land.
    value = config.setting("FEDSTACK_PROVIDER_MIRROR")
    explicit = Path(value).expanduser() if value else None
    if explicit is not None:
        return explicit, False
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    if xdg:
        return Path(xdg).expanduser() / "terraform" / "plugins", True
    return Path.home() / ".terraform.d" / "plugins", True


def install(mirror: Path | None = None, *, python: str | None = None) -> Installed:
    """Write this fedstack version's launcher into `mirror` (default: `default_mirror()`).

    Installing the same version again rewrites the same bytes; another version sits beside.
    """
    implied = False
    if mirror is None:
        mirror, implied = default_mirror()
    mirror = mirror.expanduser().resolve()
    version = fedstack.__version__
    folder = mirror / HOSTNAME / NAMESPACE / TYPE / version / os_arch()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the mirror folder {folder}: {exc.strerror}") from None
    executable = folder / f"terraform-provider-{TYPE}_v{version}"
    _write_executable(executable, _launcher(python or sys.executable, version))
    return Installed(mirror=mirror, version=version, executable=executable, implied=implied)


def _launcher(python: str, version: str) -> str:
    # -P: Terraform starts plugins in the root module's folder; that folder must not shadow
    # fedstack on sys.path.
    return (
        "#!/bin/sh\n"
        f"# fedstack Terraform provider {version}: written by `fedstack provider install`.\n"
        f'exec {shlex.quote(python)} -P -m fedstack.provider "$@"\n'
    )


def _write_executable(path: Path, text: str) -> None:
    if path.exists() and path.read_text() == text:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".launcher-")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.chmod(tmp, 0o755)
    os.replace(tmp, path)
