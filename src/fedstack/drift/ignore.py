"""Ignore rules: drift a team has accepted, still listed in reports but marked ignored.

The file is YAML, a list of rules:

    - address: "module.logs.aws_s3_bucket.*"   # glob on the resource address
      attributes: ["tags.cost-center", "tags_all.*"]  # paths or globs; omit for the whole resource
      reason: "cost tags are set by finance"
      expires: 2027-03-31                       # optional; from the day after, the rule stops applying

A rule matches a resource when the address glob matches; it ignores an attribute when one of its
attribute patterns matches the attribute path or one of its parents (`tags` covers `tags.owner`).
A rule without attributes ignores the whole resource, deletion included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fnmatch import fnmatchcase
from pathlib import Path

import yaml
from fedstack.drift.errors import IgnoreRulesError
from fedstack.drift.schema import AttributeChange, ExpiredRule, ResourceDrift
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "APP_IGNORE_FILE",
    "IgnoreRule",
    "app_ignore_rules",
    "apply_ignore_rules",
    "load_ignore_rules",
]

APP_IGNORE_FILE = "drift-ignore.yaml"
"""An app's accepted drift, beside its main.py: read by every check fedstack runs on the app."""


class IgnoreRule(BaseModel):
    """One accepted drift: an address glob, optional attribute paths, a reason, an expiry date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    address: str = Field(min_length=1)
    attributes: list[str] = Field(default_factory=list)
    reason: str = Field(min_length=1)
    expires: dt.date | None = None

    def expired(self, today: dt.date) -> bool:
        """True from the day after `expires`."""
        return self.expires is not None and today > self.expires

    def covers_resource(self, address: str) -> bool:
        """True when the rule names this resource (whatever its attributes)."""
        return fnmatchcase(address, self.address)

    def covers_attribute(self, path: str) -> bool:
        """True when an attribute pattern matches `path` or one of its parents."""
        if not self.attributes:
            return True
        parts = path.split(".")
        prefixes = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
        return any(fnmatchcase(p, pattern) for pattern in self.attributes for p in prefixes)


def load_ignore_rules(path: str | Path) -> list[IgnoreRule]:
    """Read and check an ignore-rules file; any problem is an IgnoreRulesError naming the rule."""
    file = Path(path)
    try:
        raw = yaml.safe_load(file.read_text())
    except OSError as exc:
        raise IgnoreRulesError(f"{file}: cannot read the ignore rules: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise IgnoreRulesError(f"{file}: not valid YAML: {_one_line(str(exc))}") from None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise IgnoreRulesError(
            f"{file}: expected a list of rules (- address: ..., reason: ...), got {type(raw).__name__}"
        )
    rules = []
    for index, entry in enumerate(raw):
        try:
            rules.append(IgnoreRule.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "rule"
            raise IgnoreRulesError(f"{file}: rule {index + 1}: {where}: {first['msg']}") from None
    return rules


def app_ignore_rules(app: Path) -> list[IgnoreRule]:
    """The accepted drift of an app (its folder or its script): APP_IGNORE_FILE beside it."""
    folder = app if app.is_dir() else app.parent
    file = folder / APP_IGNORE_FILE
    return load_ignore_rules(file) if file.is_file() else []


def apply_ignore_rules(
    resources: Sequence[ResourceDrift], rules: Sequence[IgnoreRule], today: dt.date
) -> tuple[list[ResourceDrift], list[ExpiredRule]]:
    """Mark ignored changes and resources; also return the rules that expired (and so no longer apply)."""
    live = [r for r in rules if not r.expired(today)]
    expired = [
        ExpiredRule(address=r.address, attributes=r.attributes, reason=r.reason, expires=r.expires)
        for r in rules
        if r.expired(today) and r.expires is not None
    ]
    return [_apply(resource, live) for resource in resources], expired


def _apply(resource: ResourceDrift, rules: list[IgnoreRule]) -> ResourceDrift:
    matching = [r for r in rules if r.covers_resource(resource.address)]
    if not matching:
        return resource
    whole = next((r for r in matching if not r.attributes), None)
    if whole is not None:
        changes = [_ignored(c, whole.reason) for c in resource.changes]
        return resource.model_copy(
            update={"changes": changes, "ignored": True, "ignore_reason": whole.reason}
        )
    changes = []
    for change in resource.changes:
        rule = next((r for r in matching if r.covers_attribute(change.path)), None)
        changes.append(_ignored(change, rule.reason) if rule else change)
    everything = resource.kind == "update" and bool(changes) and all(c.ignored for c in changes)
    reasons = sorted({c.ignore_reason for c in changes if c.ignore_reason})
    return resource.model_copy(
        update={
            "changes": changes,
            "ignored": everything,
            "ignore_reason": "; ".join(reasons) if everything else None,
        }
    )


def _ignored(change: AttributeChange, reason: str) -> AttributeChange:
    return change.model_copy(update={"ignored": True, "ignore_reason": reason})


def _one_line(text: str) -> str:
    return " ".join(text.split())
