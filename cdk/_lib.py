"""The one import point of the CDK library: cdktf 0.21 or cdktn (CDK Terrain), never both.

FEDSTACK_CDK=cdktf|cdktn decides; unset, cdktn when installed, else cdktf. The choice is made
once per process: objects of the two libraries cannot live in one construct tree (synth fails
with an obscure TypeError), so asking for the other one later is refused with a clear error.
Everything in fedstack.cdk takes App, TerraformStack, ... from here, never from cdktf directly.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from types import ModuleType

from fedstack import config
from fedstack.errors import FedstackError

__all__ = ["LIBRARIES", "CdkLibraryError", "library_name", "load_library"]

LIBRARIES = ("cdktn", "cdktf")
"""The CDK libraries fedstack runs on, in the order tried when FEDSTACK_CDK is unset."""

_chosen: ModuleType | None = None


class CdkLibraryError(FedstackError):
    """The CDK library asked for is not installed, unknown, or differs from the one in use."""


def _wanted() -> str | None:
    value = config.setting("FEDSTACK_CDK")
    if value is not None and value not in LIBRARIES:
        raise CdkLibraryError(f"FEDSTACK_CDK={value!r} is not one of {', '.join(LIBRARIES)}")
    return value


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def load_library() -> ModuleType:
    """The CDK library module for this process (imported on first call, then always the same)."""
    global _chosen
    wanted = _wanted()
    if _chosen is not None:
        if wanted is not None and wanted != _chosen.__name__:
            raise CdkLibraryError(
                f"this process already uses {_chosen.__name__}; FEDSTACK_CDK={wanted} cannot "
                "switch it (a construct tree must not mix cdktf and cdktn): start a new process"
            )
        return _chosen
    name = wanted or next((n for n in LIBRARIES if _installed(n)), None)
    if name is None:
        raise CdkLibraryError(
            "no CDK library installed: pip install 'fedstack[cdktn]' (or 'fedstack[cdktf]')"
        )
    if not _installed(name):
        raise CdkLibraryError(
            f"FEDSTACK_CDK={name} but {name} is not installed: pip install 'fedstack[{name}]'"
        )
    other = next(n for n in LIBRARIES if n != name)
    if other in sys.modules:
        raise CdkLibraryError(
            f"{other} is already imported in this process and fedstack would use {name}: "
            f"one construct tree cannot mix them; set FEDSTACK_CDK={other} or import only {name}"
        )
    # jsii prints a banner on every start when Node is past its end of life; the version
    # check says nothing useful to a fedstack user, the Node prerequisite check does.
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20")
    os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    _chosen = importlib.import_module(name)
    return _chosen


def library_name() -> str:
    """`cdktf` or `cdktn`: the library this process uses."""
    return load_library().__name__


lib = load_library()
App = lib.App
Aspects = lib.Aspects
HttpBackend = lib.HttpBackend
IAspect = lib.IAspect
LocalBackend = lib.LocalBackend
TerraformHclModule = lib.TerraformHclModule
TerraformOutput = lib.TerraformOutput
TerraformProvider = lib.TerraformProvider
TerraformProviderGeneratorMetadata = lib.TerraformProviderGeneratorMetadata
TerraformStack = lib.TerraformStack
Testing = lib.Testing
