"""The provider catalog: providers, regions with ISO countries, and the module per capability.

Pure Python: must not import cdktf, jsii or the web framework.
"""

from fedstack.catalog._audit import Audit, audit_catalog
from fedstack.catalog._contract import check_catalog_tables, check_module, module_folders
from fedstack.catalog._countries import EEA, EU, is_country
from fedstack.catalog._docs import update_readme
from fedstack.catalog._hcl import ModuleSpec, Variable, read_module
from fedstack.catalog._interfaces import INTERFACES, Input, Interface, Output
from fedstack.catalog._loader import load_catalog, modules_root
from fedstack.catalog._model import (
    CAPABILITIES,
    FACT_NAMES,
    GAIA_X_LEVELS,
    SAFEGUARDS,
    SIZES,
    Capability,
    Catalog,
    Entity,
    Fact,
    Facts,
    Provider,
    Region,
    Scope,
    ScopedFact,
    Transfers,
)
from fedstack.catalog._table import catalog_markdown, provider_facts, provider_regions

__all__ = [
    "CAPABILITIES",
    "EEA",
    "EU",
    "FACT_NAMES",
    "GAIA_X_LEVELS",
    "INTERFACES",
    "SAFEGUARDS",
    "SIZES",
    "Audit",
    "Capability",
    "Catalog",
    "Entity",
    "Fact",
    "Facts",
    "Input",
    "Interface",
    "ModuleSpec",
    "Output",
    "Provider",
    "Region",
    "Scope",
    "ScopedFact",
    "Transfers",
    "Variable",
    "audit_catalog",
    "catalog_markdown",
    "check_catalog_tables",
    "check_module",
    "is_country",
    "load_catalog",
    "module_folders",
    "modules_root",
    "provider_facts",
    "provider_regions",
    "read_module",
    "update_readme",
]
