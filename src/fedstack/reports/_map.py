"""The estate map: where stacks run, as inline SVG drawn from shipped country shapes.

The bridge's dashboard and the HTML drift report draw it; the SVG carries its own style, so it
looks the same in both and needs no script and no external asset.

countries.json (Natural Earth 1:110m, public domain; made by scripts/make-country-shapes) holds
the countries of the Europe frame and the non-European countries a catalog region sits in. EU and
EEA countries are shaded. A marker per region sits on its country, sized by resources and marked
by state with a colour and a glyph (✓ in sync, ~ drifting, ✗ failing a rule), linked to the
region's stacks. Non-European countries are small insets under the map. Pure Python: must not
import the web framework or the database layer.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from typing import Any, Literal

from markupsafe import Markup

from fedstack.catalog import EEA, EU

__all__ = ["RegionMarker", "State", "estate_map"]

State = Literal["in_sync", "drifting", "failing", "error"]
_GLYPH = {"in_sync": "✓", "drifting": "~", "failing": "✗", "error": "!"}
_WORDS = {
    "in_sync": "in sync",
    "drifting": "drifting",
    "failing": "failing a policy rule",
    "error": "could not be checked",
}
_STYLE = (
    ".sea{fill:#f4f8fb}.land{stroke:#fff;stroke-width:.7}.land.eu{fill:#b9cde6}"
    ".land.eea{fill:#dbe6f3}.land.other{fill:#e5e5e5}.inset{fill:#f4f8fb;stroke:#d0d5db}"
    ".inset-label,.key{font:11px system-ui,sans-serif;fill:#334}"
    ".m-in_sync{fill:#1d4ed8;stroke:#fff;stroke-width:1.5;fill-opacity:.85}"
    ".m-drifting{fill:url(#drift-hatch);stroke:#9a3412;stroke-width:2}"
    ".m-drifting-bg{fill:#fdba74}.m-drifting-line{stroke:#c2410c;stroke-width:2.5}"
    ".m-failing{fill:#6d28d9;stroke:#1b1f24;stroke-width:2;stroke-dasharray:4 2}"
    ".m-error{fill:#6b7280;stroke:#1b1f24;stroke-width:2}"
    ".glyph{font:700 13px system-ui,sans-serif;fill:#fff;paint-order:stroke;stroke:#1b1f24;"
    "stroke-width:2.5px;pointer-events:none}"
    ".m-label{font:600 11px system-ui,sans-serif;fill:#1b1f24;paint-order:stroke;stroke:#fff;"
    "stroke-width:3px}a.marker:focus circle,a.marker:hover circle{stroke:#000;stroke-width:3}"
)
_WIDTH = 720
_INSET_W, _INSET_H, _GAP = 132, 96, 8
_LAT0 = math.radians(52)


@dataclass(frozen=True)
class RegionMarker:
    """One region where stacks run: its place, its size and its state."""

    provider: str
    region: str
    country: str | None
    stacks: int
    resources: int
    state: State
    href: str


@functools.cache
def _shapes() -> dict[str, Any]:
    text = resources.files("fedstack.reports").joinpath("countries.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def estate_map(
    markers: Sequence[RegionMarker], *, states: Sequence[State] = ("in_sync", "drifting", "failing")
) -> Markup:
    """The Europe map with insets for the other countries, a marker per region and a legend
    (of `states`: the ones the page can tell)."""
    shapes = _shapes()
    x0, y0, x1, y1 = shapes["frame"]
    scale = _WIDTH / ((x1 - x0) * math.cos(_LAT0))
    height = (y1 - y0) * scale

    def europe(lon: float, lat: float) -> tuple[float, float]:
        return (lon - x0) * math.cos(_LAT0) * scale, (y1 - lat) * scale

    countries: dict[str, dict[str, Any]] = shapes["countries"]
    far = sorted(
        {c for c, s in countries.items() if s["frame"] == "elsewhere"}
        | set(shapes["too_small_at_this_scale"])
        | {m.country or "?" for m in markers if (m.country or "?") not in countries}
    )
    inset_rows = math.ceil(len(far) / (_WIDTH // (_INSET_W + _GAP))) if far else 0
    total_h = height + 60 + inset_rows * (_INSET_H + _GAP + 14)
    parts = [
        f'<svg class="map" role="img" aria-labelledby="map-title map-desc" viewBox="0 0 {_WIDTH} '
        f'{total_h:.0f}" width="{_WIDTH}" height="{total_h:.0f}" xmlns="http://www.w3.org/2000/svg">',
        '<title id="map-title">Where the stacks run</title>',
        f'<desc id="map-desc">{escape(_describe(markers))}</desc>',
        f"<style>{_STYLE}</style>",
        '<defs><pattern id="drift-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="5" height="5" class="m-drifting-bg"/>'
        '<line x1="0" y1="0" x2="0" y2="5" class="m-drifting-line"/></pattern></defs>',
        f'<rect class="sea" x="0" y="0" width="{_WIDTH}" height="{height:.1f}"/>',
    ]
    for code, shape in countries.items():
        if shape["frame"] == "europe":
            parts.append(_country(code, shape, europe))
    at: dict[str, tuple[float, float]] = {
        code: europe(*_centre(shape["rings"]))
        for code, shape in countries.items()
        if shape["frame"] == "europe"
    }
    top = height + 60
    per_row = _WIDTH // (_INSET_W + _GAP)
    for index, code in enumerate(far):
        left = (index % per_row) * (_INSET_W + _GAP)
        upper = top + (index // per_row) * (_INSET_H + _GAP + 14)
        parts.append(
            f'<rect class="inset" x="{left}" y="{upper}" width="{_INSET_W}" height="{_INSET_H}"/>'
        )
        found = countries.get(code)
        name = found["name"] if found else code
        if found:
            shape = found
            # An inset shows the mainland only: overseas parts would shrink it to a dot.
            mainland = {**shape, "rings": [max(shape["rings"], key=lambda r: abs(_area(r)))]}
            project = _fit(mainland["rings"], left, upper, _INSET_W, _INSET_H)
            parts.append(_country(code, mainland, project))
            at[code] = project(*_centre(mainland["rings"]))
        else:
            at[code] = (left + _INSET_W / 2, upper + _INSET_H / 2)
            name = f"{code}: too small to draw"
        parts.append(
            f'<text class="inset-label" x="{left + 4}" y="{upper + _INSET_H + 12}">'
            f"{escape(name)}</text>"
        )
    parts.extend(_markers(markers, at))
    parts.extend(_legend(height, states))
    parts.append("</svg>")
    return Markup("".join(parts))


def _country(code: str, shape: dict[str, Any], project: Any) -> str:
    area = "eu" if code in EU else "eea" if code in EEA else "other"
    path = " ".join(
        "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in (project(*p) for p in ring)) + " Z"
        for ring in shape["rings"]
    )
    label = (
        f"{shape['name']} ({code}): "
        + {
            "eu": "EU member",
            "eea": "EEA, not EU",
            "other": "outside the EEA",
        }[area]
    )
    return f'<path class="land {area}" data-country="{code}" d="{path}"><title>{escape(label)}</title></path>'


def _centre(rings: list[list[list[float]]]) -> tuple[float, float]:
    """The area centroid of the country's largest ring (mainland, not overseas parts)."""
    ring = max(rings, key=lambda r: abs(_area(r)))
    area = _area(ring)
    if not area:
        return ring[0][0], ring[0][1]
    cx = cy = 0.0
    for i, (x, y) in enumerate(ring):
        px, py = ring[i - 1]
        cross = px * y - x * py
        cx += (px + x) * cross
        cy += (py + y) * cross
    return cx / (6 * area), cy / (6 * area)


def _area(ring: list[list[float]]) -> float:
    return sum(ring[i - 1][0] * p[1] - p[0] * ring[i - 1][1] for i, p in enumerate(ring)) / 2


def _fit(rings: list[list[list[float]]], left: float, upper: float, w: float, h: float) -> Any:
    points = [(x, y) for ring in rings for x, y in ring]
    lo_x, hi_x = min(p[0] for p in points), max(p[0] for p in points)
    lo_y, hi_y = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((lo_y + hi_y) / 2))
    span_x, span_y = max((hi_x - lo_x) * squeeze, 1e-6), max(hi_y - lo_y, 1e-6)
    k = min((w - 12) / span_x, (h - 12) / span_y)
    off_x = left + (w - span_x * k) / 2
    off_y = upper + (h - span_y * k) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return off_x + (lon - lo_x) * squeeze * k, off_y + (hi_y - lat) * k

    return project


def _markers(markers: Sequence[RegionMarker], at: dict[str, tuple[float, float]]) -> list[str]:
    by_country: dict[str, list[RegionMarker]] = {}
    for marker in markers:
        by_country.setdefault(marker.country or "?", []).append(marker)
    parts = []
    for country, here in sorted(by_country.items()):
        cx, cy = at.get(country, (12.0, 12.0))
        here.sort(key=lambda m: (m.provider, m.region))
        for index, marker in enumerate(here):
            # Several regions in one country sit on a small ring around its centre.
            angle = 2 * math.pi * index / len(here)
            spread = 0 if len(here) == 1 else 16
            x, y = cx + spread * math.cos(angle), cy + spread * math.sin(angle)
            r = min(9 + 3 * math.sqrt(marker.resources), 26)
            note = (
                f"{marker.provider}/{marker.region} ({marker.country or 'country unknown'}): "
                f"{marker.stacks} stacks, {marker.resources} resources, {_WORDS[marker.state]}"
            )
            parts.append(
                f'<a href="{escape(marker.href)}" class="marker" data-region="{escape(marker.provider)}/'
                f'{escape(marker.region)}" data-state="{marker.state}">'
                f"<title>{escape(note)}</title>"
                f'<circle class="m-{marker.state}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
                f'<text class="glyph" x="{x:.1f}" y="{y + 5:.1f}" text-anchor="middle">'
                f"{_GLYPH[marker.state]}</text>"
                f'<text class="m-label" x="{x + r + 3:.1f}" y="{y + 4:.1f}">{escape(marker.region)}</text>'
                "</a>"
            )
    return parts


def _legend(height: float, states: Sequence[State]) -> list[str]:
    y = height + 14
    parts = []
    x = 6.0
    for area, words in (("eu", "EU"), ("eea", "EEA, not EU"), ("other", "outside the EEA")):
        parts.append(f'<rect class="land {area}" x="{x}" y="{y}" width="14" height="14"/>')
        parts.append(f'<text class="key" x="{x + 18}" y="{y + 11}">{words}</text>')
        x += 36 + 7 * len(words)
    for state in states:
        parts.append(f'<circle class="m-{state}" cx="{x + 7}" cy="{y + 7}" r="8"/>')
        parts.append(
            f'<text class="glyph" x="{x + 7}" y="{y + 11}" text-anchor="middle">{_GLYPH[state]}</text>'
        )
        parts.append(f'<text class="key" x="{x + 19}" y="{y + 11}">{_WORDS[state]}</text>')
        x += 40 + 7 * len(_WORDS[state])
    parts.append(
        f'<text class="key" x="6" y="{y + 34}">Marker size: resources in the region. Natural Earth '
        "1:110m outlines (public domain).</text>"
    )
    return parts


def _describe(markers: Sequence[RegionMarker]) -> str:
    if not markers:
        return "No stacks with a known region yet."
    return "; ".join(
        f"{m.provider}/{m.region} in {m.country or '?'}: {m.stacks} stacks, {m.resources} "
        f"resources, {_WORDS[m.state]}"
        for m in sorted(markers, key=lambda m: (m.provider, m.region))
    )
