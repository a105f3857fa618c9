"""The provider catalog: providers, regions with ISO countries, and the module per capability.

Pure Python: must not import cdktf, jsii or the web framework.
"""

from fedstack.catalog._countries import EEA, EU, is_country
from fedstack.catalog._hcl import ModuleSpec, read_module
from fedstack.catalog._interfaces import INTERFACES, Input, Interface, Output
from fedstack.catalog._loader import load_catalog, modules_root
from fedstack.catalog._model import (
    CAPABILITIES,
    GAIA_X_LEVELS,
    SIZES,
    Capability,
    Catalog,
    Fact,
    Facts,
    Provider,
    Region,
)

__all__ = [
    "CAPABILITIES",
    "EEA",
    "EU",
    "GAIA_X_LEVELS",
    "INTERFACES",
    "SIZES",
    "Capability",
    "Catalog",
    "Fact",
    "Facts",
    "Input",
    "Interface",
    "ModuleSpec",
    "Output",
    "Provider",
    "Region",
    "is_country",
    "load_catalog",
    "modules_root",
    "read_module",
]
