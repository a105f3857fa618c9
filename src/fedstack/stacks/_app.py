"""Find and run a federated app: a Python file (or a folder with main.py) run with an output dir."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from fedstack.contracts import PlacementPlan, read_placement_plan
from fedstack.errors import FedstackError

__all__ = ["AppError", "plan_app", "resolve_app", "run_app"]

_TIMEOUT = 600.0


class AppError(FedstackError):
    """The app could not be found, or running it failed; carries its message or its last lines."""


def resolve_app(app: str | os.PathLike[str]) -> Path:
    """The app's Python file: `app` itself, or `app/main.py` when `app` is a folder."""
    path = Path(app).expanduser().resolve()
    if path.is_dir():
        path = path / "main.py"
    if not path.is_file():
        raise AppError(
            f"{app}: no federated app here (give a Python file or a folder with main.py)"
        )
    return path


def plan_app(
    app: Path, *, env: Mapping[str, str] | None = None, timeout: float = _TIMEOUT
) -> tuple[PlacementPlan | None, AppError | None]:
    """Place the app's components without synthesizing: the plan (None when the app never
    placed anything) and the error that stopped it, if any (the plan so far is kept)."""
    with tempfile.TemporaryDirectory(prefix="fedstack-placement-") as tmp:
        plan_file = Path(tmp) / "placement.json"
        error: AppError | None = None
        try:
            _run(app, Path(tmp) / "out", env, timeout, ["--placement-out", str(plan_file)])
        except AppError as exc:
            error = exc
        plan = read_placement_plan(plan_file) if plan_file.exists() else None
    return plan, error


def run_app(
    app: Path, outdir: Path, *, env: Mapping[str, str] | None = None, timeout: float = _TIMEOUT
) -> None:
    """Run the app in its folder with CDKTF_OUTDIR=outdir, as `cdktf synth` would."""
    _run(app, outdir, env, timeout, [])


def _run(
    app: Path, outdir: Path, env: Mapping[str, str] | None, timeout: float, extra: list[str]
) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fedstack-app-") as tmp:
        error_file = Path(tmp) / "error"
        child_env = {
            **os.environ,
            **(env or {}),
            "CDKTF_OUTDIR": str(outdir),
            "FEDSTACK_ERROR_OUT": str(error_file),
        }
        try:
            done = subprocess.run(
                [sys.executable, "-m", "fedstack.stacks._entry", *extra, str(app)],
                check=False,
                cwd=app.parent,
                env=child_env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise AppError(f"{app} ran longer than {timeout:g} s and was stopped") from None
        if error_file.exists():
            raise AppError(error_file.read_text())
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()][-4:]
            raise AppError(f"{app} failed (exit {done.returncode}): " + " / ".join(lines))
