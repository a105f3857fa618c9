"""fedstack.reports: every report fedstack writes, through one renderer.

One Jinja2 environment (templates/<kind>/), one format registry (`FORMATS`: md, junit,
sarif, json, html) and one file-naming scheme, `<kind>.<extension>`: `drift.md`,
`drift.junit.xml`, `drift.sarif`, `drift.json`, `drift.html`, `policy.md`,
`policy.junit.xml`, `policy.sarif`, `policy.json`, `unmanaged.md`, `unmanaged.sarif`, ...
The report models stay with their engines (`fedstack.drift.schema.DriftReport`,
`fedstack.policy.PolicyReport`, `fedstack.unmanaged.UnmanagedReport`); this package imports
them only for type hints and, lazily, their JSON documents. Must not import the web framework or cdktf.
"""

from fedstack.reports._environment import environment, render_template
from fedstack.reports._map import RegionMarker, estate_map
from fedstack.reports._map import State as MapState
from fedstack.reports._formats import (
    FORMATS,
    Format,
    ReportError,
    file_name,
    parse_formats,
    write_files,
)

__all__ = [
    "FORMATS",
    "Format",
    "MapState",
    "RegionMarker",
    "ReportError",
    "environment",
    "estate_map",
    "file_name",
    "parse_formats",
    "render_template",
    "write_files",
]
