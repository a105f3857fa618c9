"""Render an UnmanagedReport as Markdown, JSON, SARIF 2.1.0, JUnit XML or a standalone HTML page.

Every format comes from the same report model through the Jinja2 templates beside this module,
set up as the drift renderer's are (strict undefined, autoescape for HTML and XML).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path

import jinja2
from fedstack.reports import file_name
from fedstack.reports.drift import FORMATS, parse_formats

from fedstack.unmanaged._model import UnmanagedReport, report_document

__all__ = ["FILE_NAMES", "FORMATS", "parse_formats", "render", "write_reports"]

FILE_NAMES = {fmt: file_name("unmanaged", fmt) for fmt in FORMATS}
"""The file each format is written to inside the output folder."""

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(report: UnmanagedReport, fmt: str) -> str:
    """The report in one format (see FORMATS)."""
    if fmt == "json":
        return json.dumps(report_document(report), indent=2) + "\n"
    template = {
        "md": "report.md",
        "junit": "junit.xml",
        "sarif": "sarif.json",
        "html": "report.html",
    }
    text = _env().get_template(template[fmt]).render(report=report, summary=report.summary)
    if fmt == "sarif":  # round-trip: a template mistake fails here, not in the consumer
        return json.dumps(json.loads(text), indent=2) + "\n"
    return text if text.endswith("\n") else text + "\n"


def write_reports(
    report: UnmanagedReport, formats: Iterable[str], out_dir: Path
) -> dict[str, Path]:
    """Write each format to its file in `out_dir` (created when missing); returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for fmt in formats:
        path = out_dir / FILE_NAMES[fmt]
        path.write_text(render(report, fmt), encoding="utf-8")
        written[fmt] = path
    return written


@functools.cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("fedstack.unmanaged", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml"), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = _markdown_cell
    env.filters["xml_safe"] = lambda text: _XML_ILLEGAL.sub("", str(text))
    return env


def _markdown_cell(text: object) -> str:
    escaped = (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "&#124;")
        .replace("`", "&#96;")
    )
    return " ".join(escaped.split())
