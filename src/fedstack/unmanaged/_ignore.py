"""Ignore rules for unmanaged resources: the drift ignore file's shape and parser, on addresses
`<provider>/<region>/<resource_type>/<identifier>` (globs), each rule with a reason and an expiry.

    - address: "sandbox-fr/*/aws_s3_bucket/backup-tool-*"
      reason: "buckets of the backup tool, not Terraform's"
      expires: 2027-06-30
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fedstack.drift import IgnoreRule, IgnoreRulesError, load_ignore_rules

from fedstack.unmanaged._model import Finding

__all__ = ["apply_rules", "load_rules"]


def load_rules(path: Path) -> list[IgnoreRule]:
    """Read the ignore file; rules naming attributes are refused (a resource is found whole)."""
    rules = load_ignore_rules(path)
    for index, rule in enumerate(rules, start=1):
        if rule.attributes:
            raise IgnoreRulesError(
                f"{path}: rule {index}: attributes do not apply to unmanaged resources; "
                "remove them (a rule ignores the whole resource)"
            )
    return rules


def apply_rules(
    findings: Sequence[Finding], rules: Sequence[IgnoreRule], today: dt.date
) -> tuple[list[Finding], list[str]]:
    """Findings with ignored ones marked, and a line per rule that expired (and no longer applies)."""
    live = [r for r in rules if not r.expired(today)]
    expired = [f"{r.address} (expired {r.expires}: {r.reason})" for r in rules if r.expired(today)]
    marked = []
    for finding in findings:
        rule = next((r for r in live if r.covers_resource(finding.address)), None)
        if rule is not None:
            finding = finding.model_copy(update={"ignored": True, "ignore_reason": rule.reason})
        marked.append(finding)
    return marked, expired
