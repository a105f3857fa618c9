"""Turn pydantic validation errors on a policy into one line: the key, then what is wrong."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from fedstack.policy._rules import RULE_TYPES

__all__ = ["describe"]


def describe(exc: ValidationError) -> str:
    """The first validation error as `key: message`, with rule ids named in the key."""
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
