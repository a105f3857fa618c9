"""Synth of federated stacks, checked with the CDK library's own Testing helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fedstack.cdk import (
    Compute,
    DnsRecord,
    KubernetesCluster,
    Network,
    ObjectStore,
    PlacementError,
    PolicyViolation,
    Workload,
    library_name,
)
from fedstack.cdk import _lib as cdk_lib

from fedstack.catalog import load_catalog
from fedstack.policy import Policy

FR, DE, NL = "webapp-sandbox-fr-fr-par", "webapp-sandbox-de-de-fra", "webapp-sandbox-nl-nl-ams"


def _example_stacks(make_app, example):  # type: ignore[no-untyped-def]
    app = make_app(project="webapp", policy="eu-sovereign")
    workload = example.build(app)
    return app, {stack.stack_name: stack for stack in workload.stacks.values()}


def test_example_workload_gets_one_stack_per_provider_placement(make_app, example) -> None:
    _, stacks = _example_stacks(make_app, example)
    assert sorted(stacks) == sorted([FR, DE, NL])
    modules = {
        name: sorted(json.loads(cdk_lib.Testing.synth(stack))["module"])
        for name, stack in stacks.items()
    }
    assert modules == {FR: ["assets"], DE: ["net", "server"], NL: ["assets-txt", "www"]}


def test_module_sources_are_absolute_catalog_module_paths(make_app, example) -> None:
    _, stacks = _example_stacks(make_app, example)
    catalog = load_catalog()
    synth = json.loads(cdk_lib.Testing.synth(stacks[DE]))
    assert synth["module"]["server"]["source"] == str(catalog.module_path("sandbox-de", "compute"))
    assert synth["module"]["net"]["source"] == str(catalog.module_path("sandbox-de", "network"))
    assert Path(synth["module"]["server"]["source"]).is_absolute()


def test_every_labelled_module_carries_workload_stack_and_component(make_app, example) -> None:
    _, stacks = _example_stacks(make_app, example)
    synth = json.loads(cdk_lib.Testing.synth(stacks[DE]))
    assert synth["module"]["server"]["labels"] == {
        "team": "platform",
        "fedstack:workload": "webapp",
        "fedstack:stack": DE,
        "fedstack:component": "server",
    }
    assert synth["module"]["net"]["labels"]["fedstack:component"] == "net"
    fr = json.loads(cdk_lib.Testing.synth(stacks[FR]))
    assert fr["module"]["assets"]["labels"]["fedstack:stack"] == FR


def test_compute_uses_its_network_in_the_same_stack_and_waits_for_all_of_it(
    make_app, example
) -> None:
    _, stacks = _example_stacks(make_app, example)
    synth = json.loads(cdk_lib.Testing.synth(stacks[DE]))
    assert synth["module"]["server"]["network_id"] == "${module.net.network_id}"
    # The instance looks up its network's subnet: it must wait for the subnet, not just the VPC.
    assert synth["module"]["server"]["depends_on"] == ["module.net"]


def test_dns_record_reads_the_instance_address_through_a_cross_stack_reference(
    make_app, example, load_stack
) -> None:
    # Cross-stack references are wired by the app's synth, so read its output files.
    app, _ = _example_stacks(make_app, example)
    app.synth()
    nl = (Path(app.outdir) / "stacks" / NL / "cdk.tf.json").read_text()
    assert cdk_lib.Testing.to_have_data_source_with_properties(
        nl, "terraform_remote_state", {"backend": "local"}
    )
    records = json.loads(nl)["module"]["www"]["records"]
    assert len(records) == 1 and records[0].startswith("${data.terraform_remote_state.")
    # The assets' TXT record reads the bucket's outputs from the FR stack, so it follows the bucket.
    [txt] = json.loads(nl)["module"]["assets-txt"]["records"]
    assert txt.startswith("endpoint=${data.terraform_remote_state.") and " bucket=${" in txt
    de = load_stack(Path(app.outdir), DE)
    assert "${module.server.public_ip}" in [o["value"] for o in de["output"].values()]


def test_provider_block_aims_at_the_sandbox_endpoint_and_holds_no_credentials(
    make_app, example
) -> None:
    _, stacks = _example_stacks(make_app, example)
    synth = cdk_lib.Testing.synth(stacks[DE])
    assert cdk_lib.Testing.to_have_provider_with_properties(
        synth, "aws", {"region": "eu-central-1", "skip_credentials_validation": True}
    )
    assert "http://127.0.0.1:2" in synth
    for secret_key in ("access_key", "secret_key", "token", "password"):
        assert secret_key not in synth


def test_local_backend_keeps_state_under_fedstack_home(make_app, example, fedstack_home) -> None:
    _, stacks = _example_stacks(make_app, example)
    backend = json.loads(cdk_lib.Testing.synth(stacks[FR]))["terraform"]["backend"]
    assert backend == {
        "local": {"path": str(fedstack_home / "states" / "webapp" / f"{FR}.tfstate")}
    }


def test_bridge_url_gives_an_http_backend_per_stack_without_a_password(
    make_app, example, monkeypatch
) -> None:
    monkeypatch.setenv("FEDSTACK_BRIDGE_URL", "http://127.0.0.1:8765/")
    monkeypatch.setenv("TF_HTTP_PASSWORD", "fst_secret_token_value")
    app, _ = _example_stacks(make_app, example)
    app.synth()
    synth = (Path(app.outdir) / "stacks" / NL / "cdk.tf.json").read_text()
    address = f"http://127.0.0.1:8765/v1/states/webapp/{NL}"
    assert json.loads(synth)["terraform"]["backend"] == {
        "http": {
            "address": address,
            "lock_address": f"{address}/lock",
            "unlock_address": f"{address}/lock",
            "lock_method": "LOCK",
            "unlock_method": "UNLOCK",
        }
    }
    # The remote-state read of the instance's address goes through the bridge too.
    assert cdk_lib.Testing.to_have_data_source_with_properties(
        synth, "terraform_remote_state", {"backend": "http"}
    )
    assert "fst_secret_token_value" not in synth and "password" not in synth


def test_policy_aspect_refuses_a_component_set_by_hand_outside_the_eu(make_app) -> None:
    app = make_app(policy="eu-data-residency")
    shop = Workload(app, "shop")
    ObjectStore(shop, "backup", provider="sandbox-nl", region="uk-lon")
    stack = next(iter(shop.stacks.values()))
    with pytest.raises(
        Exception, match=r"shop-sandbox-nl-uk-lon/backup: .*rule data-location-eu fail"
    ):
        cdk_lib.Testing.synth(stack)
    with pytest.raises(
        PolicyViolation, match=r"sandbox-nl/uk-lon breaks policy 'eu-data-residency'"
    ):
        app.synth()
    assert not (Path(app.outdir) / "manifest.json").exists()


def test_policy_aspect_refuses_a_hand_set_provider_below_the_minimum_gaia_x_level(make_app) -> None:
    app = make_app(policy=Policy.build(min_gaia_x_level="level-2", name="gx2"))
    shop = Workload(app, "shop")
    ObjectStore(shop, "data", provider="sandbox-de", region="de-fra")
    with pytest.raises(
        PolicyViolation, match=r"shop-sandbox-de-de-fra/data: .*gaia-x-label-min fail"
    ):
        app.synth()


def test_placement_follows_the_policy_when_nothing_is_set_by_hand(make_app) -> None:
    app = make_app(policy=Policy.build(min_gaia_x_level="level-2"))
    shop = Workload(app, "shop")
    store = ObjectStore(shop, "data", prefer=["sandbox-nl", "sandbox-de"])
    assert (store.placement.provider, store.placement.region) == ("sandbox-fr", "fr-par")


def test_unsatisfiable_policy_fails_at_the_component_with_the_last_constraint(make_app) -> None:
    app = make_app(policy=Policy.build(min_gaia_x_level="level-3"))
    shop = Workload(app, "shop")
    with pytest.raises(
        PlacementError, match=r"component 'data'.*policy gaia-x-label-min refused the last"
    ):
        ObjectStore(shop, "data")


def test_spread_that_cannot_be_reached_fails_the_synth(make_app) -> None:
    app = make_app()
    shop = Workload(app, "shop", spread=2)
    ObjectStore(shop, "data", provider="sandbox-fr", region="fr-par")
    with pytest.raises(PlacementError, match="spread across at least 2 providers"):
        app.synth()


def test_synth_writes_fedstack_json_and_dependencies(make_app, example, load_stack) -> None:
    app, _ = _example_stacks(make_app, example)
    app.synth()
    outdir = Path(app.outdir)
    meta = json.loads((outdir / "stacks" / DE / "fedstack.json").read_text())
    assert meta == {
        "provider": "sandbox-de",
        "region": "de-fra",
        "project": app.project,
        "workload": "webapp",
        "stack": DE,
    }
    manifest = json.loads((outdir / "manifest.json").read_text())
    assert sorted(manifest["stacks"][NL]["dependencies"]) == [DE, FR]
    assert manifest["stacks"][FR]["dependencies"] == []
    assert load_stack(outdir, FR)["//"]["metadata"]["version"]
    placement = json.loads((outdir / "placement.json").read_text())
    assert [d["component"] for d in placement["workloads"][0]["decisions"]] == [
        "assets",
        "net",
        "server",
        "www",
        "assets-txt",
    ]


def test_dns_record_needs_exactly_one_of_records_or_target(make_app) -> None:
    from fedstack.errors import FedstackError

    app = make_app()
    shop = Workload(app, "shop")
    net = Network(shop, "net")
    vm = Compute(shop, "vm", network=net)
    with pytest.raises(FedstackError, match="exactly one of records= or target="):
        DnsRecord(shop, "www", zone="example.eu", name="www", records=["192.0.2.1"], target=vm)


def test_the_library_in_use_is_reported(make_app) -> None:
    app = make_app()
    Workload(app, "shop")
    assert library_name() in ("cdktf", "cdktn")
    assert type(app).__mro__[1].__module__.startswith(library_name())


def test_stack_at_a_real_provider_configures_every_provider_its_modules_require(make_app) -> None:
    from fedstack.cdk._providers import module_providers

    app = make_app(policy="eu-data-residency")
    shop = Workload(app, "shop")
    net = Network(shop, "net", prefer=["ovhcloud"])
    KubernetesCluster(shop, "k8s", network=net, node_size="m", node_count=3)
    stack = next(iter(shop.stacks.values()))
    assert stack.placement.provider == "ovhcloud"
    synth = json.loads(cdk_lib.Testing.synth(stack))
    wanted = {
        name: {"source": source, "version": version}
        for component in ("network", "kubernetes")
        for name, source, version in module_providers(
            load_catalog().module_path("ovhcloud", component)
        )
    }
    assert "ovh" in wanted
    assert synth["terraform"]["required_providers"] == wanted
    # Native providers get empty blocks: credentials and endpoints come from the environment.
    assert synth["provider"] == {name: [{}] for name in wanted}
    assert synth["module"]["k8s"]["depends_on"] == ["module.net"]


def test_deploy_drift_and_bridge_read_the_fedstack_json_synth_writes(make_app, example) -> None:
    from fedstack.bridge._placement import placement_of_stack

    from fedstack.contracts import stack_placement
    from fedstack.stacks import read_stacks

    app, _ = _example_stacks(make_app, example)
    app.synth()
    placement = stack_placement(Path(app.outdir) / "stacks" / NL, load_catalog())
    assert placement is not None
    assert (placement.provider, placement.region, placement.country) == (
        "sandbox-nl",
        "nl-ams",
        "NL",
    )
    deployed = {s.name: s for s in read_stacks(Path(app.outdir))}
    assert deployed[NL].meta is not None and deployed[NL].meta.workload is not None
    assert (deployed[NL].provider, deployed[NL].region) == ("sandbox-nl", "nl-ams")
    stored = placement_of_stack(deployed[NL].provider, deployed[NL].region)
    assert (stored.provider, stored.region, stored.country) == ("sandbox-nl", "nl-ams", "NL")
