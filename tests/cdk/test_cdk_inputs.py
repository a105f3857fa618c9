"""Module inputs: the common ones come from the capability interfaces, extra ones are checked.

`extra_inputs=` passes a provider-specific input (STACKIT's required `project_id`) to the
module a component was placed on, checked against that module's `variables.tf`.
"""

from __future__ import annotations

import json

import pytest
from fedstack.cdk import Compute, Network, ObjectStore, Workload
from fedstack.cdk import _lib as cdk_lib

from fedstack.catalog import INTERFACES
from fedstack.errors import FedstackError

PROJECT = "0f6c1c5e-3d0a-4c38-9d43-6a0c2f1f7a11"


def test_an_app_placed_on_stackit_synthesizes_its_project_id(make_app) -> None:
    app = make_app(policy="eu-data-residency")
    shop = Workload(app, "shop")
    net = Network(shop, "net", provider="stackit", extra_inputs={"project_id": PROJECT})
    Compute(shop, "web", network=net, extra_inputs={"project_id": PROJECT})
    ObjectStore(shop, "assets", provider="stackit", extra_inputs={"project_id": PROJECT})
    (stack,) = shop.stacks.values()
    assert stack.placement.provider == "stackit"
    modules = json.loads(cdk_lib.Testing.synth(stack))["module"]
    assert {name: m["project_id"] for name, m in modules.items()} == {
        "net": PROJECT,
        "web": PROJECT,
        "assets": PROJECT,
    }
    # The common inputs are the interface's, whatever the provider.
    for name, capability in (("net", "network"), ("web", "compute"), ("assets", "object_storage")):
        common = {i.name for i in INTERFACES[capability].inputs}
        assert common <= set(modules[name]), name


def test_an_unknown_extra_input_is_a_clear_error_naming_the_module_inputs(make_app) -> None:
    shop = Workload(make_app(policy="eu-data-residency"), "shop")
    with pytest.raises(FedstackError) as caught:
        Network(shop, "net", provider="stackit", extra_inputs={"projectid": PROJECT})
    message = str(caught.value)
    assert "Network 'net': module network/stackit has no input 'projectid'" in message
    assert "project_id" in message


def test_a_common_input_cannot_be_overridden_through_extra_inputs(make_app) -> None:
    shop = Workload(make_app(policy="eu-data-residency"), "shop")
    with pytest.raises(FedstackError, match="'cidr' is a common input of network"):
        Network(shop, "net", provider="stackit", extra_inputs={"cidr": "10.0.0.0/8"})


def test_a_sandbox_module_takes_its_own_inputs_and_refuses_others(make_app) -> None:
    shop = Workload(make_app(policy="eu-sovereign"), "shop")
    with pytest.raises(FedstackError, match="module object_storage/sandbox has no input"):
        ObjectStore(shop, "assets", provider="sandbox-fr", extra_inputs={"project_id": PROJECT})
