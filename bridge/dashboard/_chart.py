"""The drift-over-time chart: drifted resources per run, as inline SVG (no script, no assets).

Pure Python: must not import the web framework or the database layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

__all__ = ["ChartPoint", "drift_chart"]

_WIDTH, _HEIGHT = 760, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 16, 14, 40


@dataclass(frozen=True)
class ChartPoint:
    """One run: when it arrived, how many resources drifted, and the page to link to."""

    at: dt.datetime
    drifted: int
    href: str


def drift_chart(points: list[ChartPoint], *, title: str = "Drifted resources per run") -> Markup:
    """An accessible SVG line chart of `points` (oldest first); a short note when there are none."""
    if not points:
        return Markup('<p class="muted">No drift runs yet.</p>')
    top = max(max(p.drifted for p in points), 1)
    start, end = points[0].at, points[-1].at
    span = (end - start).total_seconds()
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM

    def x(index: int, point: ChartPoint) -> float:
        # Time on the x axis; runs that arrived together are spread by their order instead.
        if span <= 0 or len(points) == 1:
            share = 0.5 if len(points) == 1 else index / (len(points) - 1)
        else:
            share = (point.at - start).total_seconds() / span
        return _LEFT + share * plot_w

    def y(value: int) -> float:
        return _TOP + plot_h - value / top * plot_h

    coords = [(x(i, p), y(p.drifted)) for i, p in enumerate(points)]
    svg_open = (
        f'<svg class="chart" role="img" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        f'width="{_WIDTH}" height="{_HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
    )
    parts = [
        svg_open,
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_LEFT + plot_w}" y2="{_TOP + plot_h}"/>',
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}"/>',
    ]
    for value in sorted({0, top // 2, top}):
        parts.append(
            f'<text class="tick" x="{_LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for label_at, anchor, at in ((_LEFT, "start", start), (_LEFT + plot_w, "end", end)):
        parts.append(
            f'<text class="tick" x="{label_at}" y="{_HEIGHT - 14}" text-anchor="{anchor}">'
            f"{escape(at.strftime('%Y-%m-%d %H:%M UTC'))}</text>"
        )
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in coords)
    parts.append(f'<polyline class="line" points="{path}"/>')
    for (px, py), point in zip(coords, points, strict=True):
        label = f"{point.drifted} drifted, {point.at.strftime('%Y-%m-%d %H:%M:%S UTC')}"
        parts.append(
            f'<a href="{escape(point.href)}"><circle class="dot{" hot" if point.drifted else ""}" '
            f'cx="{px:.1f}" cy="{py:.1f}" r="4"><title>{escape(label)}</title></circle></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
