"""The history chart: drift and policy findings per day on a real time axis, as inline SVG.

One slot per calendar day (UTC). A day with drift runs gets a hatched bar (the most resources
drifting in one run that day); a day without a run gets a dashed "no run" mark, never a bar or a
line interpolated from its neighbours. Policy findings failing at some time of the day are a
solid bar beside it. Each run is a triangle under the axis at its exact time, linked to its page.
Pure Python: must not import the web framework or the database layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

__all__ = ["Day", "Failing", "RunMark", "daily", "history_chart"]

_WIDTH, _HEIGHT = 760, 250
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 16, 34, 54
_MIN_DAYS, _MAX_DAYS = 14, 90


@dataclass(frozen=True)
class RunMark:
    """One drift run: when it arrived, how many resources drifted, and the page to link to."""

    at: dt.datetime
    drifted: int
    href: str


@dataclass(frozen=True)
class Failing:
    """One policy finding: failing from `since` until `until` (None: still failing)."""

    since: dt.datetime
    until: dt.datetime | None


@dataclass(frozen=True)
class Day:
    """One calendar day (UTC) of the history; None means "not measured", never zero."""

    day: dt.date
    runs: int
    drifted: int | None
    failing: int | None


def daily(
    runs: Sequence[RunMark],
    findings: Sequence[Failing],
    *,
    today: dt.date,
    policy_since: dt.datetime | None,
) -> list[Day]:
    """The days from the first run (at least the last two weeks, at most 90 days) to `today`.

    `policy_since` is when a policy first applied (None: no policy, so no findings measured).
    """
    first = min((r.at.astimezone(dt.UTC).date() for r in runs), default=today)
    start = max(
        min(first, today - dt.timedelta(days=_MIN_DAYS - 1)),
        today - dt.timedelta(days=_MAX_DAYS - 1),
    )
    by_day: dict[dt.date, list[int]] = {}
    for run in runs:
        by_day.setdefault(run.at.astimezone(dt.UTC).date(), []).append(run.drifted)
    measured_from = policy_since.astimezone(dt.UTC).date() if policy_since else None
    days = []
    for offset in range((today - start).days + 1):
        day = start + dt.timedelta(days=offset)
        drifted = by_day.get(day)
        failing = None
        if measured_from is not None and day >= measured_from:
            failing = sum(1 for f in findings if _failing_on(f, day))
        days.append(Day(day, len(drifted or []), max(drifted) if drifted else None, failing))
    return days


def _failing_on(finding: Failing, day: dt.date) -> bool:
    begins = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    ends = begins + dt.timedelta(days=1)
    return finding.since < ends and (finding.until is None or finding.until >= begins)


def history_chart(days: Sequence[Day], runs: Sequence[RunMark], *, title: str) -> Markup:
    """An accessible SVG bar chart of `days` (oldest first) with a mark per run."""
    if not days:
        return Markup('<p class="muted">Nothing measured yet.</p>')
    top = max([d.drifted or 0 for d in days] + [d.failing or 0 for d in days] + [1])
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    slot = plot_w / len(days)
    base = _TOP + plot_h
    start = dt.datetime.combine(days[0].day, dt.time(), tzinfo=dt.UTC)
    span = len(days) * 86400.0

    def y(value: int) -> float:
        return base - value / top * plot_h

    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        f'width="{_WIDTH}" height="{_HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-bg"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>',
        *_legend(),
        f'<line class="axis" x1="{_LEFT}" y1="{base}" x2="{_LEFT + plot_w}" y2="{base}"/>',
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{base}"/>',
    ]
    for value in sorted({0, top // 2, top}):
        parts.append(
            f'<line class="grid" x1="{_LEFT}" y1="{y(value):.1f}" x2="{_LEFT + plot_w}" y2="{y(value):.1f}"/>'
            f'<text class="tick" x="{_LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value}</text>'
        )
    every = 1 if len(days) <= 16 else 7
    bar_w = max(slot * 0.36, 1.5)

    def bar(kind: str, x: float, label: str, value: int, note: str) -> str:
        height = max(base - y(value), 1.5)
        return (
            f'<rect class="bar {kind}" data-day="{label}" data-value="{value}" '
            f'x="{x:.1f}" y="{base - height:.1f}" width="{bar_w:.1f}" '
            f'height="{height:.1f}"><title>{escape(note)}</title></rect>'
        )

    for index, day in enumerate(days):
        left = _LEFT + index * slot
        label = day.day.isoformat()
        if index % every == 0 or index == len(days) - 1:
            parts.append(
                f'<text class="tick" x="{left + slot / 2:.1f}" y="{base + 30}" text-anchor="middle">'
                f"{day.day.strftime('%d %b')}</text>"
            )
        if day.drifted is None:
            parts.append(
                f'<line class="norun" data-day="{label}" x1="{left + slot * 0.12:.1f}" y1="{base - 1}" '
                f'x2="{left + slot * 0.48:.1f}" y2="{base - 1}"><title>{label}: no drift run</title></line>'
            )
        else:
            note = f"{label}: {day.drifted} drifted resources (most in one of {day.runs} runs)"
            parts.append(bar("drift", left + slot * 0.12, label, day.drifted, note))
        if day.failing is not None:
            note = f"{label}: {day.failing} policy findings failing"
            parts.append(bar("failing", left + slot * 0.52, label, day.failing, note))
    for run in runs:
        share = (run.at.astimezone(dt.UTC) - start).total_seconds() / span
        if not 0 <= share <= 1:
            continue
        px = _LEFT + share * plot_w
        note = f"run at {run.at.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M:%S UTC')}: {run.drifted} drifted"
        parts.append(
            f'<a href="{escape(run.href)}"><path class="run" d="M{px:.1f},{base + 4} l-4,8 h8 z">'
            f"<title>{escape(note)}</title></path></a>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend() -> list[str]:
    y = 12
    return [
        f'<rect x="{_LEFT}" y="{y}" width="12" height="12" fill="url(#hatch)" class="drift-key"/>',
        f'<text class="key" x="{_LEFT + 16}" y="{y + 10}">drifted resources (most in a run that day)</text>',
        f'<rect x="{_LEFT + 300}" y="{y}" width="12" height="12" class="bar failing"/>',
        f'<text class="key" x="{_LEFT + 316}" y="{y + 10}">policy findings failing</text>',
        f'<path class="run" d="M{_LEFT + 480},{y + 2} l-5,10 h10 z"/>',
        f'<text class="key" x="{_LEFT + 490}" y="{y + 10}">a drift run</text>',
        f'<line class="norun" x1="{_LEFT + 570}" y1="{y + 6}" x2="{_LEFT + 590}" y2="{y + 6}"/>',
        f'<text class="key" x="{_LEFT + 596}" y="{y + 10}">no run that day</text>',
    ]
