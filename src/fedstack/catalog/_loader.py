"""Load and check modules/catalog.yaml: every error names the file and the key."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

import fedstack
from fedstack.catalog._model import Catalog
from fedstack.errors import CatalogError

__all__ = ["load_catalog", "modules_root"]


def modules_root() -> Path:
    """The modules/ folder: inside the installed package, or beside src/ in a checkout."""
    package = Path(fedstack.__file__).resolve().parent
    for candidate in (package / "_modules", package.parent.parent / "modules"):
        if (candidate / "catalog.yaml").is_file():
            return candidate
    raise CatalogError(f"no modules/catalog.yaml found beside {package}")


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read, validate and return the catalog; modules are resolved beside the catalog file."""
    file = Path(path).resolve() if path else modules_root() / "catalog.yaml"
    try:
        raw = yaml.safe_load(file.read_text())
    except OSError as exc:
        raise CatalogError(f"{file}: cannot read the catalog: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"{file}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CatalogError(f"{file}: the catalog must be a mapping with 'providers'")
    try:
        catalog = Catalog.model_validate({**raw, "modules_root": file.parent})
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise CatalogError(f"{file}: {key}: {message}{more}") from None
    _check_modules(catalog, file)
    return catalog


def _check_modules(catalog: Catalog, file: Path) -> None:
    listed = set()
    for provider_name, provider in catalog.providers.items():
        for capability, entry in provider.capabilities.items():
            key = f"providers.{provider_name}.capabilities.{capability}.module"
            if Path(entry.module).parts[:1] != (capability,) or len(Path(entry.module).parts) != 2:
                raise CatalogError(
                    f"{file}: {key}: {entry.module!r} must be {capability}/<folder>, the module "
                    f"folder of this capability"
                )
            module = catalog.modules_root / entry.module
            if not any(module.glob("*.tf")):
                raise CatalogError(
                    f"{file}: {key}: {entry.module!r} is not a Terraform module folder under {catalog.modules_root}"
                )
            listed.add(module.resolve())
    for module in sorted({tf.parent for tf in catalog.modules_root.glob("*/*/*.tf")}):
        if module.resolve() not in listed:
            relative = module.relative_to(catalog.modules_root).as_posix()
            raise CatalogError(
                f"{file}: modules/{relative}: a module folder the catalog does not list; add it "
                f"under providers.<name>.capabilities.{module.parent.name}.module or remove it"
            )
