"""Load a policy by preset name or from a YAML file; errors name the file and the key."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml
from pydantic import ValidationError

from fedstack.policy._errors import PolicyError
from fedstack.policy._policy import Policy
from fedstack.policy._presets import PRESETS
from fedstack.policy._rules import RULE_TYPES

__all__ = ["load_policy"]


def load_policy(name_or_path: str | Path) -> Policy:
    """A preset by name (such as `eu-data-residency`) or a policy YAML file by path."""
    if isinstance(name_or_path, str) and name_or_path in PRESETS:
        return PRESETS[name_or_path]
    path = Path(name_or_path)
    if not path.exists():
        raise PolicyError(
            f"{name_or_path}: neither a preset ({', '.join(PRESETS)}) nor a policy file"
        )
    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read the policy: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: not valid YAML: {_one_line(str(exc))}") from exc
    if not isinstance(raw, dict) or "rules" not in raw:
        raise PolicyError(f"{path}: a policy must be a mapping with a 'rules' list")
    raw.setdefault("name", path.stem)
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        raise PolicyError(f"{path}: {_describe(exc)}") from None


def _describe(exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = list(first["loc"])
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
        known = ", ".join(t.model_fields["id"].default for t in RULE_TYPES)
        given = first["input"].get("id") if isinstance(first["input"], dict) else None
        what = f"unknown rule id {given!r}" if given else "a rule needs an 'id'"
        return f"{_key(loc)}: {what}; known: {known}{more}"
    message = first["msg"].removeprefix("Value error, ")
    return f"{_key(loc)}: {message}{more}"


def _key(loc: Sequence[object]) -> str:
    # pydantic puts the union tag (the rule id) into the location: rules.0.<id>.<param>.
    parts: list[str] = []
    for index, part in enumerate(loc):
        if index == 2 and loc[0] == "rules":
            parts[-1] += f"({part})"
            continue
        parts.append(str(part))
    return ".".join(parts) or "(top level)"


def _one_line(text: str) -> str:
    return " ".join(text.split())
