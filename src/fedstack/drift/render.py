"""Render a DriftReport as Markdown, JUnit XML, SARIF 2.1.0, JSON or a standalone HTML page.

Every format comes from the same report model through the Jinja2 templates shipped beside this
module (templates/). Values in the report are already masked; templates escape everything.
Must not import the web framework or cdktf.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fedstack.drift.errors import DriftError
from fedstack.drift.schema import DriftReport, ResourceDrift, Scalar, StackResult

__all__ = ["FILE_NAMES", "FORMATS", "MARKDOWN_LIMIT", "parse_formats", "render", "write_reports"]

FORMATS = ("md", "junit", "sarif", "json", "html")
"""Report formats, as named on the command line."""

FILE_NAMES = {
    "md": "drift.md",
    "junit": "drift-junit.xml",
    "sarif": "drift.sarif",
    "json": "drift.json",
    "html": "drift.html",
}
"""The file each format is written to inside the output folder."""

MARKDOWN_LIMIT = 60_000
"""Markdown size limit in characters: a GitHub comment holds 65,536; stacks past it are cut."""

_VALUE_LIMIT = 200
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class ProviderRow:
    """One line of the per-provider summary."""

    provider: str
    region: str
    country: str
    stacks: int
    in_sync: int
    drifted: int
    errored: int
    resources_drifted: int


def parse_formats(text: str) -> list[str]:
    """`md,junit` -> ["md", "junit"]; `all` -> every format; unknown names are a DriftError."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if names == ["all"]:
        return list(FORMATS)
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise DriftError(
            f"unknown report format {', '.join(unknown) or repr(text)}; choose from "
            f"{', '.join(FORMATS)} (comma-separated) or all"
        )
    return list(dict.fromkeys(names))


def render(report: DriftReport, fmt: str, *, markdown_limit: int = MARKDOWN_LIMIT) -> str:
    """The report in one format (see FORMATS)."""
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        return _markdown(report, markdown_limit)
    if fmt == "sarif":
        text = _env().get_template("sarif.json").render(**_context(report))
        # Round-trip: a template mistake fails here, not in the consumer.
        return json.dumps(json.loads(text), indent=2) + "\n"
    if fmt == "junit":
        return _env().get_template("junit.xml").render(**_context(report))
    if fmt == "html":
        return _env().get_template("report.html").render(**_context(report))
    raise DriftError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")


def write_reports(report: DriftReport, formats: Iterable[str], out_dir: Path) -> dict[str, Path]:
    """Write each format to its file in `out_dir` (created when missing); returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for fmt in formats:
        path = out_dir / FILE_NAMES[fmt]
        path.write_text(render(report, fmt), encoding="utf-8")
        written[fmt] = path
    return written


# -- shared context ----------------------------------------------------------------------------


def _context(report: DriftReport) -> dict[str, Any]:
    return {
        "report": report,
        "summary": report.summary,
        "status": report.status,
        "providers": _provider_rows(report.stacks),
        "cases": {s.name: _resource_cases(s) for s in report.stacks},
        "pairs": [(s, r) for s in report.stacks for r in s.drift],
    }


def _provider_rows(stacks: list[StackResult]) -> list[ProviderRow]:
    groups: dict[tuple[str, str, str], list[StackResult]] = {}
    for stack in stacks:
        key = (stack.provider or "unknown", stack.region or "—", stack.country or "—")
        groups.setdefault(key, []).append(stack)
    return [
        ProviderRow(
            provider=key[0],
            region=key[1],
            country=key[2],
            stacks=len(group),
            in_sync=sum(s.status == "in_sync" for s in group),
            drifted=sum(s.status == "drift" for s in group),
            errored=sum(s.status == "error" for s in group),
            resources_drifted=sum(not r.ignored for s in group for r in s.drift),
        )
        for key, group in sorted(groups.items())
    ]


def _resource_cases(stack: StackResult) -> list[tuple[str, ResourceDrift | None]]:
    """Every resource of a stack (checked or gone), with its drift when it drifted."""
    drift = {r.address: r for r in stack.drift}
    addresses = sorted(set(stack.resources_checked) | drift.keys())
    return [(address, drift.get(address)) for address in addresses]


def _markdown(report: DriftReport, limit: int) -> str:
    env = _env()
    context = _context(report)
    head = env.get_template("report.md").render(**context, details=[], omitted=0, limit=limit)
    budget = limit - len(head) - 400  # room for the truncation note
    details: list[str] = []
    omitted = 0
    for stack in report.stacks:
        block = env.get_template("stack.md").render(stack=stack)
        if omitted or len(block) > budget:
            omitted += 1
            continue
        details.append(block)
        budget -= len(block)
    return env.get_template("report.md").render(
        **context, details=details, omitted=omitted, limit=limit
    )


# -- Jinja2 ------------------------------------------------------------------------------------


@functools.cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("fedstack.drift", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml"), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["value"] = _display
    env.filters["md"] = _markdown_cell
    env.filters["xml_safe"] = lambda text: _XML_ILLEGAL.sub("", str(text))
    env.filters["uri"] = lambda path: quote(str(path), safe="/:._-~")
    env.filters["seconds"] = lambda value: f"{value:.3f}"
    return env


def _display(value: Scalar) -> str:
    """A leaf value as shown to people: strings bare, other values as JSON, absent as a dash."""
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1] + "…"


def _markdown_cell(text: object) -> str:
    """Text safe inside a Markdown table cell that GitHub renders with HTML allowed."""
    escaped = (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "&#124;")
        .replace("`", "&#96;")
    )
    return " ".join(escaped.split())
