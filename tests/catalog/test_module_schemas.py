"""Module HCL checked against provider schemas: every resource and data source type, argument
and nested block exists at the module's lower version bound, and required arguments are set.

Non-AWS providers cannot be downloaded here: their schemas are the trimmed copies in
tests/catalog/schemas/ (provenance in its README). hashicorp/aws is read for real with
`terraform providers schema -json` from the local mirror, so the checker's strictness is shown
beside real `terraform validate` on the sandbox modules and on seeded mistakes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from fedstack.catalog import modules_root
from fedstack.catalog._contract import module_folders
from fedstack.catalog._hcl import read_module
from fedstack.catalog._schema import check_module_schema, load_schema, lower_bound
from fedstack.errors import TerraformError
from fedstack.terraform import Terraform

SCHEMAS = Path(__file__).resolve().parent / "schemas"
AWS = "hashicorp/aws"


def _version(text: str) -> tuple[int, ...]:
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def _schemas() -> dict[tuple[str, tuple[int, ...]], dict[str, Any]]:
    found = {}
    for file in SCHEMAS.glob("*.json"):
        schema = load_schema(file)
        source = schema["provider"].split("/", 1)[1].lower()
        found[(source, _version(schema["provider_version"]))] = schema
    return found


NON_AWS = [
    folder
    for folder in module_folders(modules_root())
    if any(r.source.lower() != AWS for r in read_module(folder).providers.values())
]


@pytest.mark.parametrize("folder", NON_AWS, ids=[f"{f.parent.name}/{f.name}" for f in NON_AWS])
def test_module_matches_its_providers_schema_at_its_lower_bound(folder: Path) -> None:
    known = _schemas()
    chosen = {}
    for requirement in read_module(folder).providers.values():
        source = requirement.source.lower()
        bound = _version(lower_bound(requirement.version))
        assert (source, bound) in known, (
            f"{folder}: no schema of {source} at its lower bound {lower_bound(requirement.version)}"
            f" (have {sorted(v for s, v in known if s == source)})"
        )
        chosen[source] = known[(source, bound)]
    assert check_module_schema(folder, chosen) == []


@pytest.fixture(scope="module")
def aws_schema(tmp_path_factory: pytest.TempPathFactory, provider_mirror: Path) -> dict[str, Any]:
    """hashicorp/aws's real schema (`terraform providers schema -json`), in the checker's shape."""
    root = tmp_path_factory.mktemp("aws-schema")
    (root / "versions.tf.json").write_text(
        json.dumps(
            {
                "terraform": {
                    "required_providers": {"aws": {"source": AWS, "version": ">= 5.0, < 6.0"}}
                }
            }
        )
    )
    tf = Terraform(root)
    tf.init()
    full = json.loads(tf.run("providers", "schema", "-json", quiet=True))
    (entry,) = [v for k, v in full["provider_schemas"].items() if k.endswith(AWS)]
    return {
        "provider": f"registry.terraform.io/{AWS}",
        "provider_version": "from the mirror",
        "resource_schemas": {t: s["block"] for t, s in entry["resource_schemas"].items()},
        "data_source_schemas": {t: s["block"] for t, s in entry["data_source_schemas"].items()},
    }


SEEDED = [
    # (module, text to replace, replacement, words of the checker's problem)
    ("object_storage/sandbox", "bucket        = var.name", "bucket_name   = var.name", "argument 'bucket_name': no such argument"),
    ("object_storage/sandbox", "versioning_configuration {", "versioning_config {", "nested block 'versioning_config'"),
    ("object_storage/sandbox", "  bucket = aws_s3_bucket.this.id\n", "", "required argument 'bucket' is not set"),
    ("object_storage/sandbox", "    status = \"Enabled\"\n", "", "required argument 'status' is not set"),
    ("object_storage/sandbox", 'resource "aws_s3_bucket" "this"', 'resource "aws_s3_bukket" "this"', "has no resource type aws_s3_bukket"),
]  # fmt: skip


@pytest.mark.slow
def test_the_checker_agrees_with_terraform_validate_on_the_sandbox_modules(
    aws_schema: dict[str, Any], tmp_path: Path
) -> None:
    """Clean sandbox modules pass both; each seeded mistake fails both."""
    for folder in [f for f in module_folders(modules_root()) if f.name == "sandbox"]:
        assert check_module_schema(folder, {AWS: aws_schema}) == [], folder
    for index, (module, find, replace, words) in enumerate(SEEDED):
        copy = tmp_path / f"m{index}"
        shutil.copytree(modules_root() / module, copy)
        text = (copy / "main.tf").read_text()
        assert find in text
        (copy / "main.tf").write_text(text.replace(find, replace, 1))
        problems = check_module_schema(copy, {AWS: aws_schema})
        assert any(words in p for p in problems), (words, problems)
        tf = Terraform(copy)
        tf.init()
        with pytest.raises(TerraformError):
            tf.run("validate", "-no-color", quiet=True)
    clean = tmp_path / "clean"
    shutil.copytree(modules_root() / "object_storage/sandbox", clean)
    tf = Terraform(clean)
    tf.init()
    tf.run("validate", "-no-color", quiet=True)
