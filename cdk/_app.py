"""FederatedApp: the root of a federated app, under a policy, over the provider catalog.

Works under plain `python main.py`, under `fedstack synth` and under `cdktf synth` (the CLI
sets CDKTF_OUTDIR and the context; modules have absolute sources so no cdktfRelativeModules
context is needed). After synth, each stack folder gets a fedstack.json, and the output dir a
placement.json with every decision and refusal (both written through `fedstack.contracts`).

Placement only is its own entry point: `app.plan_placement(file)` writes the decisions and
synthesizes nothing; `fedstack plan-placement` runs an app script inside
`placement_only(file)`, under which the script's own `app.synth()` does just that.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fedstack.cdk._lib import App
from fedstack.cdk._model import PolicyViolation, check_name

from fedstack import config
from fedstack.catalog import Catalog, load_catalog
from fedstack.contracts import PlacementPlan, read_exit_lock, write_stack_metadata
from fedstack.policy import PlacementCheck, Policy, load_policy
from fedstack.sandbox import Sandbox

if TYPE_CHECKING:
    from fedstack.cdk._workload import Workload

__all__ = ["DEFAULT_POLICY", "FederatedApp", "placement_only"]

DEFAULT_POLICY = "eu-data-residency"
"""The policy of an app that names none: data stays in EU/EEA regions."""

_placement_out: Path | None = None


@contextlib.contextmanager
def placement_only(out: Path) -> Iterator[None]:
    """Within: every app's `synth()` is `plan_placement(out)` (how `plan-placement` runs a script)."""
    global _placement_out
    previous, _placement_out = _placement_out, Path(out)
    try:
        yield
    finally:
        _placement_out = previous


def _exclusions() -> tuple[str, ...]:
    """Providers the app has left: its exit lock (next to the script) plus FEDSTACK_EXIT_EXCLUDE.

    The variable is how `fedstack exit --plan-only` asks for a placement without the provider
    before anything is decided (comma-separated `provider` or `provider/region`).
    """
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0].endswith(".py") else None
    folder = script.resolve().parent if script is not None else Path.cwd()
    asked = [e for e in os.environ.get("FEDSTACK_EXIT_EXCLUDE", "").split(",") if e.strip()]
    return tuple(dict.fromkeys([*read_exit_lock(folder).excluded(), *map(str.strip, asked)]))


class FederatedApp(App):
    """The root of a federated app: catalog, policy, state backend and sandbox endpoints."""

    def __init__(
        self,
        *,
        project: str = "fedstack",
        policy: Policy | str | Path | None = None,
        catalog: Catalog | str | Path | None = None,
        outdir: str | None = None,
        bridge_url: str | None = None,
        endpoints: Mapping[str, str] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        options: dict[str, Any] = {"stack_traces": False, "context": dict(context or {})}
        if outdir is not None:
            options["outdir"] = outdir
        super().__init__(**options)
        self.project = check_name("project", project)
        self.catalog = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
        self.policy = (
            policy if isinstance(policy, Policy) else load_policy(policy or DEFAULT_POLICY)
        )
        self.bridge_url = (bridge_url or config.bridge_url() or "").rstrip("/") or None
        self._endpoints = dict(endpoints) if endpoints is not None else None
        self.workloads: list[Workload] = []
        self.violations: list[PolicyViolation] = []
        self.policy_checks: dict[tuple[str, ...], PlacementCheck] = {}
        self.exclude = _exclusions()

    @property
    def endpoints(self) -> dict[str, str]:
        """Sandbox endpoints by provider: given, or read once from the sandbox state file."""
        if self._endpoints is None:
            self._endpoints = Sandbox().endpoints()
            if _placement_out is not None:
                # Placement only: nothing is written, so a stopped sandbox must not stop it.
                for name in self.catalog.sandbox_providers():
                    self._endpoints.setdefault(name, "http://127.0.0.1:0")
        return self._endpoints

    def placement(self) -> PlacementPlan:
        """Every workload's decisions (with each refused candidate's reasons)."""
        return PlacementPlan.model_validate(
            {
                "project": self.project,
                "policy": self.policy.name,
                "workloads": [
                    {
                        "workload": w.workload_name,
                        "spread": w.placer.spread,
                        "decisions": [d.to_json() for d in w.placer.decisions],
                    }
                    for w in self.workloads
                ],
            }
        )

    def plan_placement(self, out: Path | None = None) -> PlacementPlan:
        """Place only: write the decisions to `out` (when given), check the spread, synth nothing."""
        if out is not None:
            self._write_placement(out)
        for workload in self.workloads:
            workload.placer.check_spread()
        return self.placement()

    def write_placement_if_asked(self) -> None:
        """Under `placement_only`, write the decisions so far (also after a failed placement)."""
        if _placement_out is not None:
            self._write_placement(_placement_out)

    def synth(self) -> None:
        """Check the spread, enforce the policy (aspect) and write the stacks and fedstack.json."""
        if _placement_out is not None:
            self.plan_placement(_placement_out)
            return
        for workload in self.workloads:
            workload.placer.check_spread()
        try:
            super().synth()
        except Exception:
            if self.violations:
                raise self.violations[0] from None
            raise
        self._write_metadata()
        self._say_what_was_written()

    def _say_what_was_written(self) -> None:
        # stderr: `python main.py` tells its user where the stacks went, and stdout stays the
        # app's own (fedstack synth and cdktf synth capture or show it as they please).
        stacks = [s for w in self.workloads for s in w.stacks.values()]
        outdir = Path(self.outdir).resolve()
        print(f"fedstack: wrote {len(stacks)} stack(s) to {outdir}", file=sys.stderr)
        for stack in sorted(stacks, key=lambda s: s.stack_name):
            where = f"{stack.placement.provider} {stack.placement.region}"
            print(f"  stacks/{stack.stack_name}  ({where})", file=sys.stderr)

    def _write_metadata(self) -> None:
        outdir = Path(self.outdir)
        for workload in self.workloads:
            for stack in workload.stacks.values():
                write_stack_metadata(outdir / "stacks" / stack.stack_name, stack.metadata())
        # Compact: it lists every candidate of every component (large for big apps).
        (outdir / "placement.json").write_text(self.placement().model_dump_json())

    def _write_placement(self, out: Path) -> None:
        Path(out).write_text(json.dumps(self.placement().model_dump(), indent=2))
