"""fedstack.bridge.dashboard: the bridge's server-rendered pages (Jinja2, no JavaScript, no external assets).

Overview by provider, region and country, a page per stack and per drift run, and the
drift-over-time chart as inline SVG. Must not import cdktf.
"""

__all__: list[str] = []
