"""docs/policy-rules.md, generated from the rule definitions (a test keeps the file current)."""

from __future__ import annotations

from typing import Any

from fedstack.policy._presets import GAIA_X_COVERAGE, PRESETS
from fedstack.policy._rules import RULE_TYPES, Rule

__all__ = ["rule_id", "rule_parameters", "rules_markdown"]


def rule_id(rule: type[Rule]) -> str:
    """The stable ID of a rule type."""
    return str(rule.model_fields["id"].default)


def rule_parameters(rule: type[Rule]) -> dict[str, dict[str, Any]]:
    """Each parameter of a rule type: its type, default (or required) and description."""
    return {
        name: {
            "type": _type_name(field.annotation),
            "required": field.is_required(),
            "default": None
            if field.is_required()
            else field.get_default(call_default_factory=True),
            "description": field.description or "",
        }
        for name, field in rule.model_fields.items()
        if name != "id"
    }


def _type_name(annotation: object) -> str:
    return str(annotation).replace("typing.", "").replace("<class '", "").replace("'>", "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown() -> str:
    """The rules reference page: one table, then one section per rule, then the presets."""
    lines = [
        "# Sovereignty policy rules",
        "",
        "Generated from `src/fedstack/policy/_rules.py` by `fedstack policy rules --markdown`;",
        "do not edit by hand (a test checks this file is current).",
        "",
        "Every rule reads the provider catalog (`modules/catalog.yaml`) for one placement: the",
        "region of the placement's capability (object storage may have regions of its own), the",
        "facts whose scope covers it, and the region's own contracting entity where the catalog",
        "names one. A fact that is missing, out of scope or not verified makes the rule",
        "**unknown**, never pass.",
        "",
        "| rule | what it checks | criterion |",
        "| --- | --- | --- |",
    ]
    for rule in RULE_TYPES:
        lines.append(f"| `{rule_id(rule)}` | {_cell(rule.title)} | {_cell(rule.criterion)} |")
    for rule in RULE_TYPES:
        lines += [
            "",
            f"## `{rule_id(rule)}`: {rule.title}",
            "",
            f"- **Why:** {rule.rationale}",
            f"- **Checks:** {rule.checks}",
            f"- **Criterion:** {rule.criterion}",
            f"- **Catalog facts:** {', '.join(f'`{f}`' for f in rule.facts)}",
        ]
        if rule.source_note:
            lines.append(f"- **Source note:** {rule.source_note}")
        params = rule_parameters(rule)
        if params:
            lines.append("- **Parameters:**")
            for name, info in params.items():
                default = "required" if info["required"] else f"default `{info['default']!r}`"
                described = f": {info['description']}" if info["description"] else ""
                lines.append(f"  - `{name}` ({info['type']}, {default}){described}")
        used = [name for name, p in PRESETS.items() if any(r.id == rule_id(rule) for r in p.rules)]
        lines.append(f"- **Presets:** {', '.join(f'`{u}`' for u in used) or 'none'}")
    lines += ["", "## Presets", "", "| preset | rules | what it asks |", "| --- | --- | --- |"]
    for name, policy in PRESETS.items():
        rules = ", ".join(f"`{r.id}`" for r in policy.rules)
        lines.append(f"| `{name}` | {rules} | {_cell(policy.description)} |")
    for name, coverage in GAIA_X_COVERAGE.items():
        lines += ["", f"### `{name}` and Gaia-X {coverage.level}", "", "Checked:", ""]
        lines += [f"- {item}" for item in coverage.checked]
        lines += ["", "Not checked (a Gaia-X label needs them; fedstack cannot see them):", ""]
        lines += [f"- {item}" for item in coverage.not_checked]
    return "\n".join(lines) + "\n"
