"""Render a PolicyReport as JSON, Markdown, JUnit XML or SARIF 2.1.0 (templates/policy/).

Files are named by the one scheme of `fedstack.reports`: `policy.md`, `policy.junit.xml`,
`policy.sarif`, `policy.json`. Must not import the web framework or cdktf.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from fedstack.reports._environment import render_template
from fedstack.reports._formats import ReportError, file_name, write_files

if TYPE_CHECKING:
    from fedstack.policy import PolicyReport

__all__ = ["FILE_NAMES", "FORMATS", "render", "write_reports"]

KIND = "policy"
FORMATS: tuple[str, ...] = ("json", "md", "junit", "sarif")
"""The formats a policy report comes in, as named on the command line."""

FILE_NAMES = {fmt: file_name(KIND, fmt) for fmt in FORMATS}
"""The file each format is written to inside the output folder."""


def render(report: PolicyReport, fmt: str) -> str:
    """The report in one format (see FORMATS)."""
    from fedstack.policy import Outcome  # here: fedstack.policy imports this module

    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    return render_template(KIND, fmt, report=report, Outcome=Outcome)


def write_reports(report: PolicyReport, formats: Iterable[str], out: Path) -> list[Path]:
    """Write each format into `out` (created when missing); returns the files."""
    return list(write_files(KIND, ((fmt, render(report, fmt)) for fmt in formats), out).values())
