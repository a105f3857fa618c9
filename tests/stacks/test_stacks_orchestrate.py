"""Deploy/destroy orchestration with real Terraform on provider-less stacks (fast, no sandbox)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from fedstack.catalog import load_catalog
from fedstack.errors import FedstackError
from fedstack.stacks import StackInfo, read_stacks, run_stacks, select_stacks


def _stack(outdir: Path, name: str, deps: list[str], body: dict) -> StackInfo:  # type: ignore[type-arg]
    folder = outdir / "stacks" / name
    folder.mkdir(parents=True)
    (folder / "cdk.tf.json").write_text(json.dumps(body))
    return StackInfo(name, folder, tuple(deps))


def _ok(name: str) -> dict:  # type: ignore[type-arg]
    return {"output": {"name": {"value": name}}}


def test_failure_skips_dependents_and_hides_no_other_result(tmp_path) -> None:
    stacks = [
        _stack(tmp_path, "base", [], _ok("base")),
        _stack(tmp_path, "broken", [], {"output": {"x": {"value": "${var.missing}"}}}),
        _stack(tmp_path, "needs-broken", ["broken"], _ok("needs-broken")),
        _stack(tmp_path, "needs-base", ["base"], _ok("needs-base")),
    ]
    events: list[tuple[float, str, str]] = []
    lock = threading.Lock()

    def on_event(stack: str, message: str) -> None:
        with lock:
            events.append((time.monotonic(), stack, message))

    results = {
        r.stack: r for r in run_stacks(stacks, "deploy", catalog=load_catalog(), on_event=on_event)
    }
    assert {n: r.status for n, r in results.items()} == {
        "base": "ok",
        "broken": "failed",
        "needs-broken": "skipped",
        "needs-base": "ok",
    }
    assert "Reference to undeclared input variable" in results["broken"].message
    assert results["needs-broken"].message == "not run: broken did not succeed"
    base_done = next(t for t, s, m in events if s == "base" and m == "done")
    dependent_start = next(t for t, s, m in events if s == "needs-base" and m == "init")
    assert dependent_start >= base_done


def test_destroy_runs_dependents_first(tmp_path) -> None:
    stacks = [
        _stack(tmp_path, "base", [], _ok("base")),
        _stack(tmp_path, "top", ["base"], _ok("top")),
    ]
    order: list[str] = []
    run_stacks(
        stacks,
        "destroy",
        catalog=load_catalog(),
        on_event=lambda stack, message: order.append(stack) if message == "done" else None,
    )
    assert order == ["top", "base"]


def test_stack_globs_select_and_an_unmatched_glob_is_an_error(tmp_path) -> None:
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "stacks": {
                    "shop-sandbox-de-de-fra": {
                        "workingDirectory": "stacks/shop-sandbox-de-de-fra",
                        "dependencies": [],
                    },
                    "shop-sandbox-nl-nl-ams": {
                        "workingDirectory": "stacks/shop-sandbox-nl-nl-ams",
                        "dependencies": ["shop-sandbox-de-de-fra"],
                    },
                }
            }
        )
    )
    stacks = read_stacks(tmp_path)
    assert [s.name for s in select_stacks(stacks, ["*-nl-*"])] == ["shop-sandbox-nl-nl-ams"]
    assert len(select_stacks(stacks, [])) == 2
    with pytest.raises(FedstackError, match=r"no stack matches \*-fr-\*"):
        select_stacks(stacks, ["*-fr-*"])


def test_missing_manifest_says_to_synth_first(tmp_path) -> None:
    with pytest.raises(FedstackError, match="run `fedstack synth` first"):
        read_stacks(tmp_path)
