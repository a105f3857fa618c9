"""Run Terraform/OpenTofu commands in one working directory, with streamed progress and a timeout.

No cdktf, jsii or web framework here: the bridge and the drift engine use this too.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fedstack.errors import TerraformError, TerraformInterrupted, TerraformTimeout
from fedstack.terraform._binary import TerraformBinary, find_binary
from fedstack.terraform._cliconfig import plugin_cache_lock, runner_environment
from fedstack.terraform._diagnostics import Diagnostic, from_event, from_text, strip_ansi

__all__ = [
    "DEFAULT_TIMEOUT",
    "GRACE_SECONDS",
    "OnMessage",
    "PlanResult",
    "Terraform",
    "clear_interrupt",
    "interrupt_all",
]

OnMessage = Callable[[str], None]
"""Receives one human-readable progress line at a time (from the JSON UI stream when there is one)."""

DEFAULT_TIMEOUT = 1800.0
GRACE_SECONDS = 10.0
"""How long a Terraform process has after SIGINT (to release locks, save state) before SIGKILL."""
_GRACE_SECONDS = GRACE_SECONDS


class _Running:
    """Every Terraform process this program started, so Ctrl-C can reach them.

    They run in their own sessions (so a timeout can stop their provider plugins too), which
    also keeps the terminal's SIGINT from them: interrupt_all forwards it.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.procs: dict[subprocess.Popen[str], str] = {}
        self.interrupted = threading.Event()


_RUNNING = _Running()


def interrupt_all(
    grace: float = GRACE_SECONDS, on_waiting: Callable[[list[str]], None] | None = None
) -> None:
    """Ctrl-C for every running Terraform process: SIGINT, then SIGKILL after `grace` seconds.

    New commands refuse to start until clear_interrupt(). `on_waiting` hears which commands
    are still running ("terraform apply in /path") before the wait starts.
    """
    _RUNNING.interrupted.set()
    with _RUNNING.lock:
        procs = dict(_RUNNING.procs)
    if not procs:
        return
    if on_waiting:
        on_waiting(sorted(procs.values()))
    for proc in procs:
        _signal_group(proc, signal.SIGINT)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(p.poll() is None for p in procs):
        time.sleep(0.1)
    for proc in procs:
        if proc.poll() is None:
            _signal_group(proc, signal.SIGKILL)
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline and any(p.poll() is None for p in procs):
        time.sleep(0.1)


def clear_interrupt() -> None:
    """Let Terraform commands start again after interrupt_all()."""
    _RUNNING.interrupted.clear()


def _signal_group(proc: subprocess.Popen[str], sig: signal.Signals) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


@dataclass(frozen=True)
class PlanResult:
    """What `plan -detailed-exitcode` found: whether there are changes (or drift, in refresh-only mode)."""

    changes: bool
    plan_file: Path | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class _Completed:
    returncode: int
    stdout: str
    stderr: str
    diagnostics: list[Diagnostic]


class Terraform:
    """Terraform or OpenTofu in one working directory.

    Each instance has its own working directory (and data dir, when given), so several can run
    at once; `init` is serialised on the shared plugin cache, everything else runs in parallel.
    """

    def __init__(
        self,
        workdir: str | os.PathLike[str],
        *,
        binary: TerraformBinary | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        data_dir: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        on_message: OnMessage | None = None,
    ) -> None:
        self.workdir = Path(workdir).resolve()
        if not self.workdir.is_dir():
            raise TerraformError(f"working directory {self.workdir} does not exist")
        self.binary = binary or find_binary()
        self.timeout = timeout
        self._env = runner_environment()
        if data_dir is not None:
            self._env["TF_DATA_DIR"] = str(Path(data_dir).resolve())
        self._env.update(env or {})
        self._on_message = on_message

    # -- commands ---------------------------------------------------------------------------

    def init(
        self,
        *,
        backend: bool = True,
        backend_config: Mapping[str, str] | None = None,
        reconfigure: bool = False,
        upgrade: bool = False,
    ) -> None:
        """`init`: install providers and modules (serialised on the shared plugin cache)."""
        args = ["init", "-input=false", "-no-color"]
        if not backend:
            args.append("-backend=false")
        if reconfigure:
            args.append("-reconfigure")
        if upgrade:
            args.append("-upgrade")
        for key, value in (backend_config or {}).items():
            args.append(f"-backend-config={key}={value}")
        json_ui = self.binary.supports_init_json()
        if json_ui:
            args.append("-json")
        with plugin_cache_lock(self._env):
            self._checked(args, json_ui=json_ui)

    def plan(
        self,
        *,
        out: str | os.PathLike[str] | None = None,
        refresh_only: bool = False,
        destroy: bool = False,
        lock: bool = True,
        variables: Mapping[str, Any] | None = None,
    ) -> PlanResult:
        """`plan -detailed-exitcode`: tells whether there are changes (or drift with refresh_only)."""
        args = ["plan", "-input=false", "-no-color", "-json", "-detailed-exitcode"]
        if refresh_only:
            args.append("-refresh-only")
        if destroy:
            args.append("-destroy")
        if not lock:
            args.append("-lock=false")
        plan_file = Path(out).resolve() if out is not None else None
        if plan_file is not None:
            args.append(f"-out={plan_file}")
        args += _var_args(variables)
        done = self._run(args, json_ui=True)
        if done.returncode not in (0, 2):
            raise self._failure(args, done)
        return PlanResult(
            changes=done.returncode == 2, plan_file=plan_file, diagnostics=done.diagnostics
        )

    def apply(
        self,
        *,
        plan_file: str | os.PathLike[str] | None = None,
        variables: Mapping[str, Any] | None = None,
        lock_timeout: str | None = None,
    ) -> None:
        """`apply -auto-approve` of a saved plan or of the current configuration."""
        args = ["apply", "-input=false", "-no-color", "-json"]
        if lock_timeout:
            args.append(f"-lock-timeout={lock_timeout}")
        if plan_file is not None:
            args.append(str(Path(plan_file).resolve()))
        else:
            args += ["-auto-approve", *_var_args(variables)]
        self._checked(args, json_ui=True)

    def destroy(self, *, variables: Mapping[str, Any] | None = None) -> None:
        """`apply -destroy -auto-approve`: remove everything this configuration manages."""
        args = ["apply", "-destroy", "-auto-approve", "-input=false", "-no-color", "-json"]
        self._checked(args + _var_args(variables), json_ui=True)

    def show_json(self, plan_file: str | os.PathLike[str] | None = None) -> dict[str, Any]:
        """`show -json` of a saved plan, or of the current state when no plan is given."""
        args = ["show", "-json", "-no-color"]
        if plan_file is not None:
            args.append(str(Path(plan_file).resolve()))
        return _parse_json(self._checked(args, json_ui=False, quiet=True).stdout, args)

    def output(self) -> dict[str, Any]:
        """`output -json`: every root output as {name: {"value", "type", "sensitive"}}."""
        args = ["output", "-json", "-no-color"]
        return _parse_json(self._checked(args, json_ui=False, quiet=True).stdout, args)

    def run(self, *args: str, quiet: bool = False) -> str:
        """Any other command (for example `state list`); returns its standard output."""
        return self._checked(list(args), json_ui=False, quiet=quiet).stdout

    # -- process handling -------------------------------------------------------------------

    def _checked(self, args: list[str], *, json_ui: bool, quiet: bool = False) -> _Completed:
        done = self._run(args, json_ui=json_ui, quiet=quiet)
        if done.returncode != 0:
            raise self._failure(args, done)
        return done

    def _failure(self, args: list[str], done: _Completed) -> TerraformError:
        errors = [d for d in done.diagnostics if d.severity == "error"]
        if not errors:
            errors = [
                d for d in from_text(done.stderr + "\n" + done.stdout) if d.severity == "error"
            ]
        reason = "; ".join(str(d) for d in errors) or _last_lines(done.stderr or done.stdout)
        if args[0] == "init" and _REGISTRY_FAILURE.search(reason + done.stderr):
            reason += (
                " (no provider registry reachable: set FEDSTACK_PROVIDER_MIRROR to a Terraform "
                "filesystem mirror holding the stack's providers, such as one made by "
                "`terraform providers mirror DIR` on a connected machine)"
            )
        return TerraformError(
            f"{self.binary.flavour} {args[0]} failed in {self.workdir}: {reason}",
            command=[self.binary.path, *args],
            returncode=done.returncode,
            diagnostics=errors,
            output=strip_ansi(done.stderr),
        )

    def _run(self, args: list[str], *, json_ui: bool, quiet: bool = False) -> _Completed:
        command = [self.binary.path, *args]
        # The flags that change what the command does, so "waiting for" names it right.
        mode = [a for a in args[1:] if a in ("-destroy", "-refresh-only")]
        what = f"{self.binary.flavour} {' '.join([args[0], *mode])} in {self.workdir}"
        if _RUNNING.interrupted.is_set():
            raise TerraformInterrupted(f"{what}: not started, interrupted", command=command)
        proc = subprocess.Popen(
            command,
            cwd=self.workdir,
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,  # lets a timeout stop provider plugins too
        )
        stdout: list[str] = []
        stderr: list[str] = []
        diagnostics: list[Diagnostic] = []

        def read_stdout() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                stdout.append(line)
                if json_ui:
                    self._handle_event(line, diagnostics)
                elif not quiet and self._on_message and line.strip():
                    self._on_message(strip_ansi(line.rstrip()))

        def read_stderr() -> None:
            assert proc.stderr is not None
            stderr.extend(proc.stderr)

        readers = [threading.Thread(target=read_stdout), threading.Thread(target=read_stderr)]
        for reader in readers:
            reader.daemon = True
            reader.start()
        with _RUNNING.lock:
            _RUNNING.procs[proc] = what
        try:
            proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            for reader in readers:
                reader.join(timeout=5)
            raise TerraformTimeout(
                f"{self.binary.flavour} {args[0]} in {self.workdir} took longer than "
                f"{self.timeout:g} s and was stopped",
                command=command,
                output=strip_ansi("".join(stderr)),
            ) from None
        finally:
            with _RUNNING.lock:
                _RUNNING.procs.pop(proc, None)
        for reader in readers:
            reader.join()
        if _RUNNING.interrupted.is_set() and proc.returncode != 0:
            raise TerraformInterrupted(
                f"{what}: stopped, interrupted", command=command, returncode=proc.returncode
            )
        return _Completed(proc.returncode, "".join(stdout), "".join(stderr), diagnostics)

    def _handle_event(self, line: str, diagnostics: list[Diagnostic]) -> None:
        try:
            event = json.loads(line)
        except ValueError:
            if self._on_message and line.strip():
                self._on_message(strip_ansi(line.rstrip()))
            return
        if not isinstance(event, dict):
            return
        diagnostic = from_event(event)
        if diagnostic is not None:
            diagnostics.append(diagnostic)
        message = event.get("@message")
        if self._on_message and message and event.get("type") != "version":
            self._on_message(strip_ansi(str(message)))


def _stop(proc: subprocess.Popen[str]) -> None:
    """Interrupt Terraform as Ctrl-C would (it releases locks), then kill what is left."""
    for sig, wait in ((signal.SIGINT, _GRACE_SECONDS), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return
            time.sleep(0.1)


_REGISTRY_FAILURE = re.compile(
    r"registry\.(terraform|opentofu)\.io|Failed to query available provider packages|"
    r"could not connect to|Failed to install provider",
    re.IGNORECASE,
)


def _var_args(variables: Mapping[str, Any] | None) -> list[str]:
    args = []
    for name, value in (variables or {}).items():
        text = value if isinstance(value, str) else json.dumps(value)
        args.append(f"-var={name}={text}")
    return args


def _parse_json(text: str, args: list[str]) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise TerraformError(f"`{' '.join(args)}` did not print JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise TerraformError(f"`{' '.join(args)}` printed JSON that is not an object")
    return value


def _last_lines(text: str, count: int = 5) -> str:
    lines = [line for line in strip_ansi(text).splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "no output"
