"""Shards across CI runners: which stacks shard K of N checks, and the run group they share.

A shard is a stable, balanced slice: stacks sorted by name and dealt round-robin, so every
runner computes the same slices from the same stacks, and slice sizes differ by one at most.
The run group defaults to the CI system's own run id (GitHub Actions, GitLab CI). Pure data:
no Terraform, no web framework.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

from fedstack.drift.errors import DriftError
from fedstack.drift.schema import Shard
from fedstack.drift.stacks import Stack

__all__ = ["default_run_group", "parse_shard", "select_shard"]

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> Shard:
    """`K/N` (1 <= K <= N) as a Shard; DriftError with the expected form otherwise."""
    match = _SHARD.match(text)
    if match is None:
        raise DriftError(f"--shard {text!r}: expected K/N, for example 2/4")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= index <= count or count > 1000:
        raise DriftError(f"--shard {text}: K must be between 1 and N (N at most 1000)")
    return Shard(index=index, count=count)


def select_shard(stacks: Sequence[Stack], shard: Shard) -> list[Stack]:
    """The stacks of `shard`: sorted by name, every count-th from index - 1."""
    ordered = sorted(stacks, key=lambda s: s.name)
    return [s for i, s in enumerate(ordered) if i % shard.count == shard.index - 1]


def default_run_group(env: Mapping[str, str] | None = None) -> str | None:
    """The CI run id shared by every job of one run: GitHub Actions (with attempt) or GitLab CI."""
    env = os.environ if env is None else env
    github = env.get("GITHUB_RUN_ID", "").strip()
    if github:
        attempt = env.get("GITHUB_RUN_ATTEMPT", "").strip()
        return f"github-{github}-{attempt}" if attempt else f"github-{github}"
    gitlab = env.get("CI_PIPELINE_ID", "").strip()
    if gitlab:
        return f"gitlab-{gitlab}"
    return None
