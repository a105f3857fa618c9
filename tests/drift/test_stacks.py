"""Stack discovery: folders of Terraform files (roots vs modules) and cdktf.out manifests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fedstack.drift import DriftError, discover_stacks


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_folders_with_a_provider_or_backend_are_stacks_and_modules_are_skipped(
    tmp_path: Path,
) -> None:
    write(tmp_path / "live" / "fr" / "main.tf", 'provider "aws" {\n  region = "eu-west-3"\n}\n')
    write(tmp_path / "live" / "de" / "backend.tf", 'terraform {\n  backend "http" {\n  }\n}\n')
    write(tmp_path / "live" / "nl" / "main.tf.json", json.dumps({"provider": {"aws": [{}]}}))
    write(tmp_path / "live" / "modules" / "bucket" / "main.tf", 'resource "aws_s3_bucket" "b" {}\n')
    write(
        tmp_path / "live" / "fr" / ".terraform" / "modules" / "x" / "main.tf", 'provider "aws" {}\n'
    )
    write(tmp_path / "live" / "README.md", "not terraform")
    stacks = discover_stacks([tmp_path / "live"])
    assert [(s.name, s.file.name, s.source) for s in stacks] == [
        ("de", "backend.tf", "folder"),
        ("fr", "main.tf", "folder"),
        ("nl", "main.tf.json", "folder"),
    ]


def test_a_folder_named_explicitly_is_a_stack_even_without_provider_config(tmp_path: Path) -> None:
    write(tmp_path / "solo" / "resources.tf", 'resource "aws_s3_bucket" "b" {}\n')
    (stack,) = discover_stacks([tmp_path / "solo"])
    assert stack.name == "solo" and stack.path == (tmp_path / "solo").resolve()


def test_the_same_stack_named_twice_is_checked_once_and_names_stay_unique(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x" / "main.tf", 'provider "aws" {}\n')
    write(tmp_path / "b" / "x" / "main.tf", 'provider "aws" {}\n')
    stacks = discover_stacks([tmp_path / "a", tmp_path / "b", tmp_path / "a" / "x"])
    assert [s.name for s in stacks] == ["x", "x-2"]


def test_a_cdktf_out_folder_gives_the_manifest_stacks(tmp_path: Path) -> None:
    out = tmp_path / "cdktf.out"
    for name in ("web-fr", "web-de"):
        write(out / "stacks" / name / "cdk.tf.json", json.dumps({"provider": {"aws": [{}]}}))
    manifest = {
        "version": "0.21.0",
        "stacks": {
            name: {
                "name": name,
                "workingDirectory": f"stacks/{name}",
                "synthesizedStackPath": f"stacks/{name}/cdk.tf.json",
            }
            for name in ("web-fr", "web-de")
        },
    }
    write(out / "manifest.json", json.dumps(manifest))
    stacks = discover_stacks([out])
    assert [(s.name, s.source, s.file.name) for s in stacks] == [
        ("web-de", "cdktf", "cdk.tf.json"),
        ("web-fr", "cdktf", "cdk.tf.json"),
    ]
    assert discover_stacks([out / "manifest.json"]) == stacks


def test_a_manifest_naming_a_missing_stack_file_asks_for_synth(tmp_path: Path) -> None:
    out = tmp_path / "cdktf.out"
    (out / "stacks").mkdir(parents=True)
    write(
        out / "manifest.json",
        json.dumps({"stacks": {"gone": {"synthesizedStackPath": "stacks/gone/cdk.tf.json"}}}),
    )
    with pytest.raises(DriftError, match="run synth"):
        discover_stacks([out])


def test_no_stacks_or_a_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path / "empty" / "notes.txt", "")
    with pytest.raises(DriftError, match="no stacks found"):
        discover_stacks([tmp_path / "empty"])
    with pytest.raises(DriftError, match="no such file"):
        discover_stacks([tmp_path / "missing"])


def test_declarations_are_found_in_hcl_and_json_for_resources_and_module_calls(
    tmp_path: Path,
) -> None:
    from fedstack.drift.locations import declaration_line

    hcl = write(
        tmp_path / "hcl" / "main.tf",
        'provider "aws" {}\n\nmodule "bucket" {\n}\n\nresource "aws_instance" "vm" {\n}\n',
    )
    config = {
        "provider": {"aws": [{}]},
        "resource": {"aws_instance": {"other": {}, "vm": {"ami": "x"}}},
    }
    js = write(tmp_path / "json" / "main.tf.json", json.dumps(config, indent=2))
    assert declaration_line(hcl.parent, "aws_instance.vm", "aws_instance", "vm") == (hcl, 6)
    assert declaration_line(
        hcl.parent, "module.bucket.aws_s3_bucket.this", "aws_s3_bucket", "this"
    ) == (hcl, 3)
    line = declaration_line(js.parent, "aws_instance.vm", "aws_instance", "vm")
    assert line is not None and js.read_text().splitlines()[line[1] - 1].strip().startswith('"vm"')
    assert declaration_line(hcl.parent, "aws_s3_bucket.gone", "aws_s3_bucket", "gone") is None
