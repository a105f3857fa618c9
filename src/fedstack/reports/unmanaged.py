"""Render an UnmanagedReport as Markdown, JSON, SARIF 2.1.0, JUnit XML or a standalone HTML page.

Every format comes from the same report model through the templates in templates/unmanaged/,
in the one environment of `fedstack.reports`; files are `unmanaged.md`, `unmanaged.junit.xml`,
`unmanaged.sarif`, `unmanaged.json`, `unmanaged.html`. Must not import the web framework or cdktf.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from fedstack.reports._environment import render_template
from fedstack.reports._formats import ReportError, file_name, write_files
from fedstack.reports._formats import parse_formats as _parse_formats

if TYPE_CHECKING:
    from fedstack.unmanaged import UnmanagedReport

__all__ = ["FILE_NAMES", "FORMATS", "parse_formats", "render", "write_reports"]

KIND = "unmanaged"
FORMATS: tuple[str, ...] = ("md", "junit", "sarif", "json", "html")
"""The formats an unmanaged report comes in, as named on the command line."""

FILE_NAMES = {fmt: file_name(KIND, fmt) for fmt in FORMATS}
"""The file each format is written to inside the output folder."""


def parse_formats(text: str) -> list[str]:
    """`md,junit` -> ["md", "junit"]; `all` -> every format; unknown names are a ReportError."""
    return _parse_formats(text, FORMATS)


def render(report: UnmanagedReport, fmt: str) -> str:
    """The report in one format (see FORMATS)."""
    from fedstack.unmanaged import report_document  # here: fedstack.unmanaged imports this module

    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(report_document(report), indent=2) + "\n"
    text = render_template(KIND, fmt, report=report, summary=report.summary)
    return text if text.endswith("\n") else text + "\n"


def write_reports(
    report: UnmanagedReport, formats: Iterable[str], out_dir: Path
) -> dict[str, Path]:
    """Write each format to its file in `out_dir` (created when missing); returns the paths."""
    return write_files(KIND, ((fmt, render(report, fmt)) for fmt in formats), out_dir)
