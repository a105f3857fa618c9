"""Find the Terraform or OpenTofu binary and its version: FEDSTACK_TERRAFORM, then tofu, then terraform."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from fedstack.errors import TerraformNotFound

__all__ = ["TerraformBinary", "find_binary"]

_SEARCH_ORDER = ("tofu", "terraform")


@dataclass(frozen=True)
class TerraformBinary:
    """A Terraform-compatible binary: its path, flavour ("terraform" or "opentofu") and version."""

    path: str
    flavour: str
    version: tuple[int, int, int]

    @property
    def version_string(self) -> str:
        return ".".join(str(part) for part in self.version)

    def supports_init_json(self) -> bool:
        """`init -json` arrived in Terraform 1.9 and OpenTofu 1.9."""
        return self.version >= (1, 9, 0)

    def __str__(self) -> str:
        name = "OpenTofu" if self.flavour == "opentofu" else "Terraform"
        return f"{name} {self.version_string} ({self.path})"


def find_binary() -> TerraformBinary:
    """The binary fedstack runs, or TerraformNotFound naming where it looked."""
    wanted = os.environ.get("FEDSTACK_TERRAFORM", "").strip()
    if wanted:
        path = shutil.which(wanted) or (wanted if Path(wanted).is_file() else None)
        if not path or not os.access(path, os.X_OK):
            raise TerraformNotFound(
                f"FEDSTACK_TERRAFORM={wanted!r} is not an executable file or a command on PATH"
            )
        return _describe(str(Path(path).resolve()))
    for name in _SEARCH_ORDER:
        path = shutil.which(name)
        if path:
            return _describe(str(Path(path).resolve()))
    raise TerraformNotFound(
        "neither tofu nor terraform is on PATH; install one, or set FEDSTACK_TERRAFORM "
        "to the binary's path"
    )


@functools.lru_cache(maxsize=8)
def _describe(path: str) -> TerraformBinary:
    try:
        done = subprocess.run(
            [path, "version", "-json"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "CHECKPOINT_DISABLE": "1"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TerraformNotFound(f"cannot run {path} version: {exc}") from exc
    try:
        info = json.loads(done.stdout)
        numbers = info["terraform_version"].split("-")[0].split(".")
        version = (int(numbers[0]), int(numbers[1]), int(numbers[2]))
    except (ValueError, KeyError, IndexError) as exc:
        raise TerraformNotFound(
            f"{path} did not report a Terraform-compatible version (`version -json`)"
        ) from exc
    flavour = "opentofu" if "tofu" in Path(path).name else "terraform"
    return TerraformBinary(path=path, flavour=flavour, version=version)
