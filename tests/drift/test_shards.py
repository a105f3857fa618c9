"""Shard selection and run groups, and the static parts of the merged refresh (no Terraform)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fedstack.drift import (
    DriftError,
    Stack,
    default_run_group,
    parse_shard,
    select_shard,
)
from fedstack.drift.merge import _Range
from fedstack.drift.stack_config import (
    NotMergeable,
    block_spans,
    read_stack_config,
    resolve,
    variable_values,
)


def _stacks(count: int) -> list[Stack]:
    return [
        Stack(name=f"s{i:03d}", path=Path(f"/x/s{i:03d}"), file=Path("main.tf"), source="folder")
        for i in range(count)
    ]


def test_shards_cover_every_stack_once_balanced_and_stable() -> None:
    stacks = _stacks(50)
    parts = [select_shard(stacks, parse_shard(f"{k}/4")) for k in range(1, 5)]
    names = [s.name for part in parts for s in part]
    assert sorted(names) == sorted(s.name for s in stacks)
    assert {len(p) for p in parts} == {12, 13}
    shuffled = list(reversed(stacks))  # another runner may find them in another order
    assert select_shard(shuffled, parse_shard("3/4")) == parts[2]


@pytest.mark.parametrize("text", ["0/3", "4/3", "a/b", "3", "1/0"])
def test_bad_shard_is_refused(text: str) -> None:
    with pytest.raises(DriftError, match="--shard"):
        parse_shard(text)


def test_run_group_comes_from_the_ci() -> None:
    assert default_run_group({"GITHUB_RUN_ID": "7", "GITHUB_RUN_ATTEMPT": "2"}) == "github-7-2"
    assert default_run_group({"CI_PIPELINE_ID": "99"}) == "gitlab-99"
    assert default_run_group({}) is None


def test_provider_and_terraform_blocks_are_found_across_strings_and_heredocs() -> None:
    text = (
        'locals {\n  a = "}{"\n  b = <<EOT\n}\nEOT\n}\n'
        'provider "aws" {\n  region = "x-${var.r}"\n  tags = { a = "}" }\n}\n'
        'terraform {\n  required_version = ">= 1.0"\n}\n'
        'resource "null" "n" {}\n'
    )
    spans = block_spans(text, ("provider", "terraform"))
    assert [text[a:b].split()[0] for a, b in spans] == ["provider", "terraform"]
    assert text[spans[0][1] - 1] == "}" and "resource" not in text[spans[0][0] : spans[1][1]]


def test_variables_follow_terraform_precedence(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "a" {\n  default = "default"\n}\nvariable "b" {}\nvariable "c" {}\n'
        'variable "l" {\n  type = list(string)\n}\n'
        'provider "aws" {\n  region = var.a\n  x = "p-${var.b}"\n}\n'
    )
    (tmp_path / "terraform.tfvars").write_text('b = "tfvars"\n')
    (tmp_path / "z.auto.tfvars").write_text('b = "auto"\n')
    config = read_stack_config(tmp_path)
    env = {"TF_VAR_a": "env", "TF_VAR_b": "env", "TF_VAR_l": '["x", "y"]'}
    values, missing = variable_values(config, env)
    assert values == {"a": "env", "b": "auto", "l": ["x", "y"]}
    assert missing == ["c"]
    (block,) = config.providers
    assert resolve(block.args, values, "provider aws") == {"region": "env", "x": "p-auto"}
    with pytest.raises(NotMergeable, match="known only inside"):
        resolve({"region": "${local.r}"}, values, "provider aws")


def test_version_constraints_conflict_only_when_no_version_fits() -> None:
    assert not _Range.parse(">= 5.0, < 6.0").intersect(_Range.parse("~> 5.100")).empty
    assert _Range.parse(">= 5.0, < 6.0").intersect(_Range.parse(">= 6.1")).empty
    assert _Range.parse("~> 5.1.2").intersect(_Range.parse("5.2.0")).empty
    assert not _Range.parse("= 5.100.0").intersect(_Range.parse(">= 5.0")).empty


def test_ci_examples_run_every_shard_of_their_matrix() -> None:
    """The GitHub matrix and the GitLab `parallel:` job give each job its own K of the same N."""
    import yaml

    examples = Path(__file__).resolve().parents[2] / "examples" / "ci"
    github = yaml.safe_load((examples / "github-actions" / "drift-sharded.yml").read_text())
    job = github["jobs"]["drift"]
    shards = job["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(job["env"]["SHARDS"]) + 1))
    script = " ".join(step.get("run", "") for step in job["steps"])
    assert '--shard "${{ matrix.shard }}/$SHARDS"' in script
    gitlab = yaml.safe_load((examples / "gitlab-ci" / "drift-sharded.gitlab-ci.yml").read_text())
    assert gitlab["drift"]["parallel"] >= 2
    assert '--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"' in " ".join(gitlab["drift"]["script"])


def _folder(root: Path, name: str, text: str) -> Stack:
    folder = root / name
    folder.mkdir()
    (folder / "main.tf").write_text(text)
    return Stack(name=name, path=folder, file=folder / "main.tf", source="folder")


_AWS = 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "%s"\n    }\n  }\n%s}\nprovider "aws" {\n  region = "eu-west-3"\n}\n'


def test_stacks_that_cannot_merge_are_named_with_the_reason(tmp_path: Path) -> None:
    """Version conflict, an s3 backend, a remote state of itself: each alone, with its reason."""
    from fedstack.drift.merge import plan_merge

    own = (
        'data "terraform_remote_state" "me" {\n  backend = "local"\n'
        '  config = {\n    path = "terraform.tfstate"\n  }\n}\n'
    )
    stacks = [
        _folder(tmp_path, "a", _AWS % (">= 5.0, < 6.0", "")),
        _folder(tmp_path, "b", _AWS % ("~> 5.100", "")),
        _folder(tmp_path, "c", _AWS % (">= 6.1", "")),
        _folder(tmp_path, "d", _AWS % (">= 5.0", '  backend "s3" {\n    bucket = "x"\n  }\n')),
        _folder(tmp_path, "e", _AWS % (">= 5.0", "") + own),
    ]
    decided = plan_merge(stacks, lambda stack: {})
    assert [[m.stack.name for m in g] for g in decided.groups] == [["a", "b"]]
    assert "conflicts with '>= 5.0, < 6.0'" in decided.alone["c"]
    assert 'backend "s3"' in decided.alone["d"]
    assert "its own state" in decided.alone["e"]
    (group,) = decided.groups
    # a and b share one provider configuration: one root provider, one boot.
    assert {m.providers["aws"][2] for m in group} == {'{"region": "eu-west-3"}'}
