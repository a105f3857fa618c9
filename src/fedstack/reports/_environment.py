"""The one Jinja2 environment every report renders through (templates/<kind>/<template>).

HTML and XML templates are autoescaped; Markdown and SARIF templates escape with filters
(`md`, `tojson`). Undefined names fail the render instead of printing nothing.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any
from urllib.parse import quote

import jinja2

from fedstack.reports._formats import FORMATS, ReportError

__all__ = ["VALUE_LIMIT", "display", "environment", "markdown_cell", "render_template"]

VALUE_LIMIT = 200
"""A value longer than this many characters is cut with an ellipsis where people read it."""

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@functools.cache
def environment() -> jinja2.Environment:
    """The shared environment (built once per process)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("fedstack.reports", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml"), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["value"] = display
    env.filters["md"] = markdown_cell
    env.filters["xml_safe"] = lambda text: _XML_ILLEGAL.sub("", str(text))
    env.filters["uri"] = lambda path: quote(str(path), safe="/:._-~")
    env.filters["seconds"] = lambda value: f"{value:.3f}"
    return env


def render_template(kind: str, fmt: str, **context: Any) -> str:
    """Render `templates/<kind>/<the format's template>`; SARIF is checked to be JSON."""
    template = FORMATS[fmt].template
    if template is None:
        raise ReportError(f"format {fmt!r} has no template; it is the report model's JSON")
    text = environment().get_template(f"{kind}/{template}").render(**context)
    if fmt == "sarif":
        # Round-trip: a template mistake fails here, not in the consumer.
        return json.dumps(json.loads(text), indent=2) + "\n"
    return text


def display(value: Any) -> str:
    """A leaf value as shown to people: strings bare, other values as JSON, absent as a dash."""
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def markdown_cell(text: object) -> str:
    """Text safe inside a Markdown table cell that GitHub renders with HTML allowed."""
    escaped = (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "&#124;")
        .replace("`", "&#96;")
    )
    return " ".join(escaped.split())
