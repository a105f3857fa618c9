"""Render each module README's requirements/inputs/outputs section from its HCL, with Jinja2.

The section sits between two markers in README.md; everything outside them is written by hand.
"""

from __future__ import annotations

import functools
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


# Example values of the common inputs, for the README's usage block (HCL source text).
_EXAMPLES = {
    "object_storage": {"name": '"shop-assets"'},
    "network": {"name": '"shop-net"', "cidr": '"10.42.0.0/16"'},
    "compute": {
        "name": '"shop-web"',
        "size": '"s"',
        "image": '"debian-12"',
        "network_id": "module.network.network_id",
    },
    "kubernetes": {"name": '"shop"', "kubernetes_version": '"1.31"', "node_size": '"m"'},
    "dns_record": {
        "zone": '"example.eu"',
        "name": '"www"',
        "type": '"A"',
        "records": '["192.0.2.10"]',
    },
}


def _usage(spec: ModuleSpec, capability: str, location: str) -> list[tuple[str, str]]:
    """(input, HCL value) pairs of a minimal module call: the inputs a caller must set."""
    examples = {**_EXAMPLES.get(capability, {}), "location": json.dumps(location)}
    return [
        (var.name, examples.get(var.name, f'"<{var.name}>"'))
        for var in spec.variables.values()
        if var.needed
    ]


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_section(spec: ModuleSpec, capability: str, location: str = "<region>") -> str:
    """The marked README section of the module `spec` implementing `capability`.

    `location` is the catalog region used in the usage example.
    """
    import jinja2  # lazy: only the docs command needs the template engine

    env = jinja2.Environment(
        keep_trailing_newline=True, autoescape=False, undefined=jinja2.StrictUndefined
    )
    env.filters["hcl"] = _hcl
    env.filters["cell"] = _cell
    source = resources.files("fedstack.catalog").joinpath("module_docs.md.j2").read_text()
    interface = INTERFACES.get(capability)
    common = [i.name for i in interface.inputs] if interface else []
    variables = sorted(
        spec.variables.values(),
        key=lambda v: (
            v.name not in common,
            common.index(v.name) if v.name in common else 0,
            v.name,
        ),
    )
    return env.from_string(source).render(
        begin=BEGIN,
        end=END,
        spec=spec,
        interface=interface,
        variables=variables,
        outputs=list(spec.outputs.values()),
        usage=_usage(spec, capability, location),
        width=max((len(name) for name, _ in _usage(spec, capability, location)), default=0),
        source=f"./modules/{capability}/{spec.path.name}",
        module_name=capability,
    )


def _example_location(folder: Path) -> str:
    """The first catalog region of a provider that uses this module, when a catalog is beside it."""
    catalog_file = folder.parent.parent / "catalog.yaml"
    if not catalog_file.is_file():
        return "<region>"
    return _module_locations(catalog_file, catalog_file.stat().st_mtime_ns).get(
        folder.resolve(), "<region>"
    )


@functools.lru_cache(maxsize=4)
def _module_locations(catalog_file: Path, mtime_ns: int) -> dict[Path, str]:
    # One catalog load for all READMEs of a run; the mtime keys out a changed catalog.
    from fedstack.catalog._loader import load_catalog

    catalog = load_catalog(catalog_file)
    locations: dict[Path, str] = {}
    for provider in catalog.providers.values():
        for capability, entry in provider.capabilities.items():
            # A capability with regions of its own (object storage at IONOS) is placed there.
            regions = list(provider.regions_for(capability))
            locations.setdefault((catalog.modules_root / entry.module).resolve(), regions[0])
    return locations


def update_readme(folder: Path, *, check: bool = False) -> DocsResult:
    """Re-render the section of folder/README.md; with `check`, only say whether it is stale."""
    capability, provider = folder.parent.name, folder.name
    readme = folder / "README.md"
    section = render_section(read_module(folder), capability, _example_location(folder))
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
