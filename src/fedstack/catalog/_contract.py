"""The module contract: what every modules/<capability>/<provider>/ folder must declare.

Static checks over the parsed HCL (see _hcl.py) and the catalog; no Terraform binary, no provider.
Each problem is one line naming the file and the block.
"""

from __future__ import annotations

import re
from pathlib import Path

from fedstack.catalog._hcl import ModuleSpec, read_module
from fedstack.catalog._interfaces import INTERFACES
from fedstack.catalog._model import Catalog

__all__ = ["REQUIRED_FILES", "check_catalog_tables", "check_module", "module_folders"]

REQUIRED_FILES = ("versions.tf", "variables.tf", "outputs.tf", "main.tf", "README.md")
"""The files every module folder has, as in terraform-aws-modules."""

# A range has a lower bound and an upper bound: "~> 2.1", or ">= 5.0, < 6.0".
_PESSIMISTIC = re.compile(r"^~>\s*\d+(\.\d+)*$")
_BOUNDED = re.compile(r"^>=?\s*\d+(\.\d+)*\s*,\s*<=?\s*\d+(\.\d+)*$")


def module_folders(root: Path) -> list[Path]:
    """Every module folder under `root` (modules/<capability>/<provider>/ holding *.tf files)."""
    return sorted({path.parent for path in root.glob("*/*/*.tf")})


def _norm(type_: str | None) -> str:
    return re.sub(r"\s+", "", type_ or "")


def check_module(folder: Path, capability: str) -> list[str]:
    """Problems of one module folder against its capability's interface; empty when it conforms."""
    problems = [
        f"{folder}: missing {name}" for name in REQUIRED_FILES if not (folder / name).is_file()
    ]
    spec = read_module(folder)
    problems += _declarations(spec)
    problems += _interface(spec, capability)
    problems += _versions(spec)
    problems += _resource_providers(spec)
    problems += _references(spec, capability)
    return problems


_VAR = re.compile(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)")
_LOCAL = re.compile(r"\blocal\.([A-Za-z_][A-Za-z0-9_-]*)")
_DATA = re.compile(r"\bdata\.([a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)")
_RESOURCE = re.compile(r"(?<![.\w])([a-z0-9]+_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)")


def _references(spec: ModuleSpec, capability: str) -> list[str]:
    # What `terraform validate` would catch without a provider schema: a reference to a
    # variable, local, resource or data source that is not declared, and a provider-specific
    # variable that nothing uses.
    problems = []
    used_vars = set(_VAR.findall(spec.text))
    for name in sorted(used_vars - set(spec.variables)):
        problems.append(f"{spec.path}: var.{name} is used but not declared")
    for name in sorted(set(_LOCAL.findall(spec.text)) - set(spec.locals)):
        problems.append(f"{spec.path}: local.{name} is used but not defined")
    for type_, name in sorted(set(_DATA.findall(spec.text))):
        if f"{type_}.{name}" not in spec.data_sources:
            problems.append(f"{spec.path}: data.{type_}.{name} is used but not declared")
    for type_, name in sorted(set(_RESOURCE.findall(spec.text))):
        if type_ in spec.resource_types and f"{type_}.{name}" not in spec.resources:
            problems.append(f"{spec.path}: {type_}.{name} is used but not declared")
    interface = INTERFACES.get(capability)
    common = {i.name for i in interface.inputs} if interface else set()
    for name in sorted(set(spec.variables) - used_vars - common):
        problems.append(f"{spec.path}/variables.tf: variable {name!r} is declared but never used")
    return problems


def _resource_providers(spec: ModuleSpec) -> list[str]:
    # A resource type's prefix names its provider (aws_s3_bucket -> aws): every provider a
    # module uses must be pinned in versions.tf, or Terraform would pick any version.
    problems = []
    for kind, types in (("resource", spec.resource_types), ("data source", spec.data_types)):
        for type_ in sorted(types):
            if type_.split("_", 1)[0] not in spec.providers:
                problems.append(
                    f"{spec.path}: {kind} {type_} belongs to provider "
                    f"{type_.split('_', 1)[0]!r}, which versions.tf does not require"
                )
    return problems


def _declarations(spec: ModuleSpec) -> list[str]:
    problems = []
    for var in spec.variables.values():
        if not var.type:
            problems.append(f"{spec.path}/variables.tf: variable {var.name!r} has no type")
        if not var.description.strip():
            problems.append(f"{spec.path}/variables.tf: variable {var.name!r} has no description")
    for out in spec.outputs.values():
        if not out.description.strip():
            problems.append(f"{spec.path}/outputs.tf: output {out.name!r} has no description")
    for name in spec.provider_blocks:
        problems.append(
            f"{spec.path}: configures provider {name!r}; modules never configure providers, "
            "the root does"
        )
    return problems


def _interface(spec: ModuleSpec, capability: str) -> list[str]:
    interface = INTERFACES.get(capability)
    if interface is None:
        return [f"{spec.path}: {capability!r} is not a capability"]
    problems = []
    where = f"{spec.path}/variables.tf"
    for common in interface.inputs:
        var = spec.variables.get(common.name)
        if var is None:
            problems.append(f"{where}: missing common input {common.name!r} of {capability}")
            continue
        if _norm(var.type) != _norm(common.type):
            problems.append(
                f"{where}: variable {common.name!r} has type {var.type}, the {capability} "
                f"interface says {common.type}"
            )
        if var.required != common.required:
            want = "required (no default)" if common.required else "optional (with a default)"
            problems.append(f"{where}: variable {common.name!r} must be {want}")
    for var in spec.variables.values():
        if interface.input(var.name) is None and var.required:
            problems.append(
                f"{where}: provider-specific variable {var.name!r} must be optional (give it a default)"
            )
    where = f"{spec.path}/outputs.tf"
    for common_out in interface.outputs:
        out = spec.outputs.get(common_out.name)
        if out is None:
            problems.append(f"{where}: missing common output {common_out.name!r} of {capability}")
        elif out.sensitive != common_out.sensitive:
            state = "sensitive" if common_out.sensitive else "not sensitive"
            problems.append(f"{where}: output {common_out.name!r} must be {state}")
    return problems


def _versions(spec: ModuleSpec) -> list[str]:
    where = f"{spec.path}/versions.tf"
    problems = []
    if not spec.required_version:
        problems.append(f"{where}: no required_version")
    if not spec.providers:
        problems.append(f"{where}: no required_providers")
    for req in spec.providers.values():
        if not req.source:
            problems.append(f"{where}: provider {req.name!r} has no source")
        version = req.version.strip()
        if not (_PESSIMISTIC.match(version) or _BOUNDED.match(version)):
            problems.append(
                f"{where}: provider {req.name!r} version {version!r} is not a range "
                '(use "~> X.Y" or ">= X, < Y")'
            )
    return problems


def check_catalog_tables(catalog: Catalog) -> list[str]:
    """Problems of the catalog against its modules: an unexplained missing capability, or a
    module whose region, flavour or image table differs from the catalog.

    The catalog's sizes and images are what placement explains and callers may pass as
    `flavour`/`image_id`; the module's own `flavours`/`images` locals serve plain Terraform users.
    Both must say the same.
    """
    problems = []
    for name, provider in catalog.providers.items():
        for capability in INTERFACES:
            if capability not in provider.capabilities and capability not in provider.unsupported:
                problems.append(
                    f"{catalog.modules_root}/catalog.yaml: providers.{name}: capability "
                    f"{capability!r} is neither offered nor listed under unsupported with a reason"
                )
        for capability, entry in provider.capabilities.items():
            # A capability offered in some regions only has a table of those regions.
            offered_in = provider.regions if entry.regions is None else entry.regions
            api_names = {region: provider.region_api_name(region) for region in offered_in}
            found = read_module(catalog.modules_root / entry.module).locals.get("regions")
            if found is not None and found != api_names:
                where = "regions" if entry.regions is None else f"capabilities.{capability}.regions"
                problems.append(
                    f"{catalog.modules_root / entry.module}/main.tf: local.regions {found!r} differs "
                    f"from the api_region of providers.{name}.{where} {api_names!r}"
                )
        for capability, tables in (
            ("compute", ("flavours", "images")),
            ("kubernetes", ("flavours",)),
        ):
            offered = provider.capabilities.get(capability)
            if offered is None:
                continue
            spec = read_module(catalog.modules_root / offered.module)
            wanted = {"flavours": provider.sizes, "images": provider.images}
            for table in tables:
                found = spec.locals.get(table)
                if found != wanted[table]:
                    key = "sizes" if table == "flavours" else "images"
                    problems.append(
                        f"{spec.path}/main.tf: local.{table} {found!r} differs from "
                        f"providers.{name}.{key} {wanted[table]!r} in the catalog"
                    )
    return problems
