"""Terraform diagnostics: read from the `-json` UI stream, or from plain output as a fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Diagnostic", "from_event", "from_text", "strip_ansi"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Box-drawing frame Terraform puts around diagnostics on a terminal: "╷", "│ ", "╵".
_FRAME = re.compile(r"^[╷│╵] ?", re.MULTILINE)
_HEADER = re.compile(r"^(Error|Warning): (.+)$")
# "  on main.tf line 4, in resource ...:" in plain output.
_ON_LINE = re.compile(r"^\s*on (\S+) line (\d+)")


@dataclass(frozen=True)
class Diagnostic:
    """One Terraform diagnostic: severity ("error" or "warning"), summary and detail."""

    severity: str
    summary: str
    detail: str = ""
    location: str | None = None
    """`main.tf:4`: the file and line Terraform points at, when it points at one."""

    def __str__(self) -> str:
        text = f"{self.summary}: {self.detail}" if self.detail else self.summary
        return f"{self.location}: {text}" if self.location else text


def strip_ansi(text: str) -> str:
    """Remove colour codes and the diagnostic frame Terraform draws on terminals."""
    return _FRAME.sub("", _ANSI.sub("", text))


def from_event(event: dict[str, Any]) -> Diagnostic | None:
    """The diagnostic carried by one `-json` UI event, if it is one."""
    if event.get("type") != "diagnostic":
        return None
    diag = event.get("diagnostic") or {}
    found = diag.get("range")
    where: dict[str, Any] = found if isinstance(found, dict) else {}
    start = where.get("start") if isinstance(where.get("start"), dict) else {}
    line, filename = (start or {}).get("line"), where.get("filename")
    location = f"{filename}:{line}" if filename and line else None
    return Diagnostic(
        severity=str(diag.get("severity", "error")),
        summary=strip_ansi(str(diag.get("summary", ""))).strip(),
        detail=strip_ansi(str(diag.get("detail", ""))).strip(),
        location=location,
    )


def from_text(text: str) -> list[Diagnostic]:
    """Diagnostics found in Terraform's human-readable output ("Error: summary" then detail)."""
    found: list[Diagnostic] = []
    severity = summary = location = None
    body: list[str] = []

    def close() -> None:
        if severity and summary:
            found.append(Diagnostic(severity, summary, "\n".join(body).strip(), location))

    for line in strip_ansi(text).splitlines():
        header = _HEADER.match(line.strip())
        on_line = _ON_LINE.match(line)
        if header:
            close()
            severity, summary, body = header.group(1).lower(), header.group(2).strip(), []
            location = None
        elif severity and on_line and location is None and not any(b.strip() for b in body):
            location = f"{on_line.group(1)}:{on_line.group(2)}"
        elif severity:
            body.append(line.rstrip())
    close()
    return found
