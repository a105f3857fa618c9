"""First real end-to-end flow: the sandbox object-storage module applied with the runner."""

from __future__ import annotations

import json

import pytest

from fedstack.catalog import load_catalog
from fedstack.sandbox import aws_provider_config, module_root_config
from sandbox_helpers import sandbox_client


@pytest.mark.slow
def test_bucket_is_created_tagged_and_destroyed_on_a_sandbox_provider(sandbox, tf) -> None:
    catalog = load_catalog()
    provider = catalog.provider("sandbox-de")
    server = sandbox["sandbox-de"]
    runner = tf("bucket")
    root = module_root_config(
        module_name="bucket",
        source=str(catalog.module_path("sandbox-de", "object_storage")),
        inputs={
            "name": "fedstack-e2e-bucket",
            "location": "de-fra",
            "endpoint": server.endpoint,
            "labels": {"fedstack:workload": "e2e", "owner": "platform-team"},
            "versioning": True,
        },
        provider=aws_provider_config(server.endpoint, provider.region_api_name("de-fra")),
        outputs=["bucket_name", "endpoint", "location", "id"],
    )
    (runner.workdir / "main.tf.json").write_text(json.dumps(root))
    runner.init()
    runner.apply()

    outputs = {name: value["value"] for name, value in runner.output().items()}
    assert outputs == {
        "bucket_name": "fedstack-e2e-bucket",
        "endpoint": server.endpoint,
        "location": "de-fra",
        "id": "fedstack-e2e-bucket",
    }
    s3 = sandbox_client("s3", server.endpoint, "eu-central-1")
    tags = {
        t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket="fedstack-e2e-bucket")["TagSet"]
    }
    assert tags == {"fedstack:workload": "e2e", "owner": "platform-team"}
    assert s3.get_bucket_versioning(Bucket="fedstack-e2e-bucket")["Status"] == "Enabled"
    assert (
        s3.get_bucket_location(Bucket="fedstack-e2e-bucket")["LocationConstraint"] == "eu-central-1"
    )

    runner.destroy()
    remaining = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert "fedstack-e2e-bucket" not in remaining
    assert runner.show_json().get("values") is None, "state is empty after destroy"
