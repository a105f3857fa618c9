"""Pure pieces of the agent: failure kinds, tags of unverified facts, outputs as properties."""

from __future__ import annotations

import re

import pytest
from fedstack.agent import lifecycle_schema, placement_tags
from fedstack.agent._agent import _properties, _terraform_failure
from fedstack.catalog import load_catalog
from fedstack.errors import TerraformError
from fedstack.terraform import Diagnostic


@pytest.mark.parametrize(
    ("summary", "kind"),
    [
        (
            "Error creating bucket: TooManyBuckets: You have attempted to create more buckets",
            "quota",
        ),
        ("Error acquiring the state lock", "locked"),
        ("Invalid value for variable", "terraform"),
    ],
)
def test_terraform_errors_get_the_kind_the_lifecycle_matches(summary: str, kind: str) -> None:
    failure = _terraform_failure(
        TerraformError("apply failed", diagnostics=[Diagnostic("error", summary)])
    )
    assert str(failure) == f"{kind}: {summary}"
    create = next(a for a in lifecycle_schema()["actions"] if a["name"] == "create")
    errors = [t for t in create["transitions"] if t.get("onError")]
    first = next(t for t in errors if re.search(t.get("onErrorRegexp", ""), str(failure)))
    assert first["to"] == {"quota": "New", "locked": "New", "terraform": "Error"}[kind]


def test_an_unverified_fact_gives_no_tag() -> None:
    catalog = load_catalog()
    label = catalog.providers["sandbox-nl"].facts.gaia_x_label
    assert label is not None and label.unverified
    tags = placement_tags(
        catalog, "sandbox-nl", next(iter(catalog.providers["sandbox-nl"].regions))
    )
    assert not any(t.startswith("gaia-x:") for t in tags)
    assert "gaia-x:level-2" in placement_tags(catalog, "sandbox-fr", "fr-par")


def test_sensitive_outputs_go_only_to_their_secret_property() -> None:
    outputs = {
        "cluster_id": {"value": "k8s-1", "sensitive": False},
        "api_endpoint": {"value": "https://k8s.example.eu", "sensitive": False},
        "kubeconfig": {"value": "apiVersion: v1 ...", "sensitive": True},
        "location": {"value": "fr-par", "sensitive": False},
    }
    assert _properties("kubernetes", outputs) == {
        "cluster_id": "k8s-1",
        "api_endpoint": "https://k8s.example.eu",
        "kubeconfig": "apiVersion: v1 ...",
    }
