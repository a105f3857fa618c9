"""The estate map's SVG: shading, markers and insets from the shipped outlines (pure, no bridge)."""

from __future__ import annotations

import re

from fedstack.reports import RegionMarker, estate_map


def test_markers_sit_on_their_countries_with_state_glyphs_and_far_countries_get_insets() -> None:
    svg = str(
        estate_map(
            [
                RegionMarker("sandbox-fr", "fr-par", "FR", 1, 4, "drifting", "/dashboard?r=1"),
                RegionMarker("ovh", "sgp", "SG", 1, 1, "failing", "/dashboard?r=2"),
                RegionMarker("x", "y", None, 1, 1, "in_sync", "/dashboard?r=3"),
            ]
        )
    )
    assert re.findall(r'data-region="([^"]+)" data-state="(\w+)"', svg) == [
        ("x/y", "in_sync"),
        ("sandbox-fr/fr-par", "drifting"),
        ("ovh/sgp", "failing"),
    ]
    assert '<text class="glyph"' in svg and "✗" in svg and "~" in svg and "✓" in svg
    assert (
        'class="land eu" data-country="DE"' in svg and 'class="land eea" data-country="IS"' in svg
    )
    assert 'data-country="US"' in svg and "SG: too small to draw" in svg  # insets
    assert 'href="/dashboard?r=2"' in svg and "<script" not in svg


def test_an_empty_estate_says_so() -> None:
    assert "No stacks with a known region yet." in str(estate_map([]))
