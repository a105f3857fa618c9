"""The one import point of the CDK library: chosen once per process, never mixed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from fedstack.cdk import CdkLibraryError, library_name
from fedstack.cdk._lib import load_library

OTHER = {"cdktf": "cdktn", "cdktn": "cdktf"}


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    child_env = {k: v for k, v in os.environ.items() if k != "FEDSTACK_CDK"}
    child_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=child_env,
        timeout=120,
        check=False,
    )


def test_library_in_use_refuses_to_switch_within_the_process(monkeypatch) -> None:
    used = library_name()
    monkeypatch.setenv("FEDSTACK_CDK", OTHER[used])
    with pytest.raises(CdkLibraryError, match=f"already uses {used}.*start a new process"):
        load_library()
    monkeypatch.setenv("FEDSTACK_CDK", used)
    assert load_library().__name__ == used


def test_unset_fedstack_cdk_prefers_cdktn_when_installed() -> None:
    done = _python("from fedstack.cdk import library_name; print(library_name())")
    expected = "cdktn" if importlib.util.find_spec("cdktn") else "cdktf"
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


def test_asking_for_a_library_that_is_not_installed_names_the_extra_to_install() -> None:
    missing = OTHER[library_name()]
    assert importlib.util.find_spec(missing) is None, "each test venv holds exactly one CDK library"
    done = _python("import fedstack.cdk", FEDSTACK_CDK=missing)
    assert done.returncode != 0
    assert (
        f"FEDSTACK_CDK={missing} but {missing} is not installed: pip install 'fedstack[{missing}]'"
        in done.stderr
    )


def test_unknown_library_name_is_refused() -> None:
    done = _python("import fedstack.cdk", FEDSTACK_CDK="pulumi")
    assert done.returncode != 0
    assert "FEDSTACK_CDK='pulumi' is not one of cdktn, cdktf" in done.stderr


def test_the_other_library_already_imported_is_refused_before_trees_can_mix() -> None:
    """A stand-in module plays the other library: only one of them is installed per venv."""
    used = library_name()
    code = (
        "import sys, types\n"
        f"sys.modules['{OTHER[used]}'] = types.ModuleType('{OTHER[used]}')\n"
        "import fedstack.cdk\n"
    )
    done = _python(code, FEDSTACK_CDK=used)
    assert done.returncode != 0
    assert f"{OTHER[used]} is already imported in this process" in done.stderr
    assert "cannot mix them" in done.stderr
