"""Report paths: relative to the stack's repository, the working directory or the stack's parent."""

from __future__ import annotations

from pathlib import Path

import pytest
from fedstack.drift.engine import _shown


def test_paths_in_a_repository_are_relative_to_its_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    stack = tmp_path / "repo" / "envs" / "prod"
    stack.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert _shown(stack, stack) == "envs/prod"
    assert _shown(stack / "main.tf", stack) == "envs/prod/main.tf"
    assert _shown(tmp_path / "repo" / "modules" / "db" / "main.tf", stack) == "modules/db/main.tf"


def test_paths_outside_a_repository_and_the_working_directory_are_never_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tmp_path / "stacks" / "web"
    stack.mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert _shown(stack, stack) == "web"
    assert _shown(stack / "main.tf", stack) == "web/main.tf"
    assert _shown(tmp_path / "modules" / "x.tf", stack) == "../modules/x.tf"
    assert not any(str(tmp_path) in _shown(p, stack) for p in (stack, stack / "main.tf"))


def test_paths_below_the_working_directory_stay_relative_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = tmp_path / "infra" / "web"
    stack.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert _shown(stack / "main.tf", stack) == "infra/web/main.tf"
