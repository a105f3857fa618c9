"""The report formats and the one file-naming scheme: `<kind>.<extension>` in the output folder."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fedstack.errors import FedstackError

__all__ = ["FORMATS", "Format", "ReportError", "file_name", "parse_formats", "write_files"]


class ReportError(FedstackError):
    """A report cannot be rendered or written as asked (an unknown format, for one)."""


@dataclass(frozen=True)
class Format:
    """One report format: its command-line name, file extension and template (None: JSON dump)."""

    name: str
    extension: str
    template: str | None


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("md", "md", "report.md"),
        Format("junit", "junit.xml", "junit.xml"),
        Format("sarif", "sarif", "sarif.json"),
        Format("json", "json", None),
        Format("html", "html", "report.html"),
    )
}
"""Every format a report kind can support, by command-line name (`--format md,junit`)."""


def file_name(kind: str, fmt: str) -> str:
    """The file a report of `kind` ("drift", "policy") in `fmt` is written to: `drift.junit.xml`."""
    return f"{kind}.{FORMATS[fmt].extension}"


def parse_formats(text: str, supported: Sequence[str]) -> list[str]:
    """`md,junit` -> ["md", "junit"]; `all` -> every supported format; unknown is a ReportError."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if names == ["all"]:
        return list(supported)
    unknown = [n for n in names if n not in supported]
    if unknown or not names:
        raise ReportError(
            f"unknown report format {', '.join(unknown) or repr(text)}; choose from "
            f"{', '.join(supported)} (comma-separated) or all"
        )
    return list(dict.fromkeys(names))


def write_files(kind: str, texts: Iterable[tuple[str, str]], out_dir: Path) -> dict[str, Path]:
    """Write each (format, text) to its file in `out_dir` (created when missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for fmt, text in texts:
        path = out_dir / file_name(kind, fmt)
        path.write_text(text, encoding="utf-8")
        written[fmt] = path
    return written
