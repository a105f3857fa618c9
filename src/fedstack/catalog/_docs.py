"""Render each module README's requirements/inputs/outputs section from its HCL, with Jinja2.

The section sits between two markers in README.md; everything outside them is written by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from fedstack.catalog._hcl import ModuleSpec, read_module
from fedstack.catalog._interfaces import INTERFACES
from fedstack.errors import CatalogError

__all__ = ["BEGIN", "END", "DocsResult", "render_section", "update_readme"]

BEGIN = "<!-- BEGIN_FEDSTACK_DOCS -->"
END = "<!-- END_FEDSTACK_DOCS -->"


@dataclass(frozen=True)
class DocsResult:
    """One README: whether its rendered section was (or would be) changed."""

    readme: Path
    changed: bool


def _hcl(value: Any) -> str:
    if value is None:
        return "null"
    return json.dumps(value, separators=(", ", " = ") if isinstance(value, dict) else None)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_section(spec: ModuleSpec, capability: str) -> str:
    """The marked README section of the module `spec` implementing `capability`."""
    import jinja2  # lazy: only the docs command needs the template engine

    env = jinja2.Environment(keep_trailing_newline=True, autoescape=False, undefined=jinja2.StrictUndefined)
    env.filters["hcl"] = _hcl
    env.filters["cell"] = _cell
    source = resources.files("fedstack.catalog").joinpath("module_docs.md.j2").read_text()
    interface = INTERFACES.get(capability)
    common = [i.name for i in interface.inputs] if interface else []
    variables = sorted(
        spec.variables.values(),
        key=lambda v: (v.name not in common, common.index(v.name) if v.name in common else 0, v.name),
    )
    return env.from_string(source).render(
        begin=BEGIN, end=END, spec=spec, interface=interface, variables=variables,
        outputs=list(spec.outputs.values()),
    )


def update_readme(folder: Path, *, check: bool = False) -> DocsResult:
    """Re-render the section of folder/README.md; with `check`, only say whether it is stale."""
    capability, provider = folder.parent.name, folder.name
    readme = folder / "README.md"
    section = render_section(read_module(folder), capability)
    if readme.is_file():
        text = readme.read_text()
        if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
            raise CatalogError(f"{readme}: needs exactly one {BEGIN} ... {END} section")
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        new = head + section.rstrip("\n") + tail
    else:
        text = ""
        new = f"# {capability} on {provider}\n\n{section}"
    if new != text and not check:
        readme.write_text(new)
    return DocsResult(readme, new != text)
