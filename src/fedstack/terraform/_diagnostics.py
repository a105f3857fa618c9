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


@dataclass(frozen=True)
class Diagnostic:
    """One Terraform diagnostic: severity ("error" or "warning"), summary and detail."""

    severity: str
    summary: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.summary}: {self.detail}" if self.detail else self.summary


def strip_ansi(text: str) -> str:
    """Remove colour codes and the diagnostic frame Terraform draws on terminals."""
    return _FRAME.sub("", _ANSI.sub("", text))


def from_event(event: dict[str, Any]) -> Diagnostic | None:
    """The diagnostic carried by one `-json` UI event, if it is one."""
    if event.get("type") != "diagnostic":
        return None
    diag = event.get("diagnostic") or {}
    return Diagnostic(
        severity=str(diag.get("severity", "error")),
        summary=strip_ansi(str(diag.get("summary", ""))).strip(),
        detail=strip_ansi(str(diag.get("detail", ""))).strip(),
    )


def from_text(text: str) -> list[Diagnostic]:
    """Diagnostics found in Terraform's human-readable output ("Error: summary" then detail)."""
    found: list[Diagnostic] = []
    severity = summary = None
    body: list[str] = []

    def close() -> None:
        if severity and summary:
            found.append(Diagnostic(severity, summary, "\n".join(body).strip()))

    for line in strip_ansi(text).splitlines():
        header = _HEADER.match(line.strip())
        if header:
            close()
            severity, summary, body = header.group(1).lower(), header.group(2).strip(), []
        elif severity:
            body.append(line.rstrip())
    close()
    return found
