"""Placement only is an entry point of its own: decisions written, nothing synthesized."""

from __future__ import annotations

import json
from pathlib import Path

from fedstack.cdk import placement_only

from fedstack.contracts import PlacementPlan, read_placement_plan


def test_plan_placement_writes_the_decisions_and_synthesizes_nothing(
    make_app, example, tmp_path: Path
) -> None:
    app = make_app(project="webapp", policy="eu-sovereign")
    example.build(app)
    file = tmp_path / "placement.json"
    plan = app.plan_placement(file)
    assert isinstance(plan, PlacementPlan)
    assert read_placement_plan(file) == plan
    assert json.loads(file.read_text())["policy"] == "eu-sovereign"
    assert {d.component for _w, d in plan.decisions()} == {
        "assets",
        "assets-txt",
        "net",
        "server",
        "www",
    }
    assert not (Path(app.outdir) / "manifest.json").exists()


def test_under_placement_only_the_apps_own_synth_only_places(
    make_app, example, tmp_path: Path
) -> None:
    file = tmp_path / "placement.json"
    with placement_only(file):
        app = make_app(project="webapp", policy="eu-sovereign")
        example.build(app)
        app.synth()
    assert read_placement_plan(file).project == "webapp"
    assert not (Path(app.outdir) / "manifest.json").exists()
    assert not list(Path(app.outdir).glob("**/cdk.tf.json"))
