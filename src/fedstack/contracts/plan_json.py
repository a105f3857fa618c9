"""`terraform show -json PLAN` (Terraform or OpenTofu): one reader, one format check.

The policy check (planned resources, provider configurations) and the drift engine
(`resource_drift`, the refreshed state) both read a plan through `PlanJson`. Pure data.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fedstack.contracts.errors import PlanFormatError

__all__ = ["SUPPORTED_MAJOR", "PlanJson", "check_format", "load_plan_json"]

SUPPORTED_MAJOR = 1
"""The plan JSON major version fedstack reads (Terraform and OpenTofu 1.x emit 1.x)."""

JsonObject = dict[str, Any]


def check_format(plan: Any) -> JsonObject:
    """`plan` when it is a plan JSON object of a 1.x format_version, else PlanFormatError."""
    if not isinstance(plan, dict):
        raise PlanFormatError("the plan JSON is not an object; was it made by `show -json PLAN`?")
    version = plan.get("format_version")
    if not isinstance(version, str) or not version:
        raise PlanFormatError("the plan JSON has no format_version; was it made by `show -json`?")
    if version.split(".", 1)[0] != str(SUPPORTED_MAJOR):
        raise PlanFormatError(
            f"plan JSON format_version {version} is not supported: fedstack reads "
            f"{SUPPORTED_MAJOR}.x (Terraform or OpenTofu 1.x); upgrade fedstack"
        )
    return plan


@dataclass(frozen=True)
class PlanJson:
    """A checked plan document, with the parts fedstack reads as typed accessors."""

    document: JsonObject

    @classmethod
    def parse(cls, data: Any) -> PlanJson:
        """Check the format and wrap the document."""
        return cls(check_format(data))

    @property
    def format_version(self) -> str:
        """The document's format_version (1.x)."""
        return str(self.document["format_version"])

    @property
    def is_plan(self) -> bool:
        """True for the JSON of a saved plan (not of a state)."""
        return "resource_changes" in self.document or "planned_values" in self.document

    def resource_changes(self) -> list[JsonObject]:
        """The `resource_changes` entries (every action the plan would take)."""
        return _objects(self.document.get("resource_changes"))

    def resource_drift(self) -> list[JsonObject]:
        """The `resource_drift` entries (what changed outside Terraform)."""
        return _objects(self.document.get("resource_drift"))

    def prior_state_resources(self) -> list[JsonObject]:
        """Every resource of the refreshed state, child modules included."""
        return list(_resources(_root(self.document.get("prior_state"))))

    def planned_resources(self) -> list[JsonObject]:
        """Every resource of `planned_values`, child modules included."""
        return list(_resources(_root(self.document.get("planned_values"), values=False)))

    def configuration(self) -> JsonObject:
        """The `configuration` object (provider configs and the root module's expressions)."""
        value = self.document.get("configuration")
        return value if isinstance(value, dict) else {}

    def provider_configs(self) -> dict[str, JsonObject]:
        """`configuration.provider_config`: provider configuration key -> block."""
        value = self.configuration().get("provider_config")
        return value if isinstance(value, dict) else {}

    def variables(self) -> dict[str, JsonObject]:
        """The root variables' values by name."""
        value = self.document.get("variables")
        return {k: v for k, v in (value or {}).items() if isinstance(v, dict)}

    def declared_variables(self) -> dict[str, JsonObject]:
        """The root module's variable declarations (with `sensitive`)."""
        value = (self.configuration().get("root_module") or {}).get("variables")
        return value if isinstance(value, dict) else {}

    def outputs(self) -> list[JsonObject]:
        """Outputs of the prior state and of the planned values."""
        found = []
        for source in (
            self.document.get("prior_state") or {},
            self.document.get("planned_values") or {},
        ):
            outputs = (source.get("values") or source).get("outputs") or {}
            found += [o for o in outputs.values() if isinstance(o, dict)]
        return found


def load_plan_json(path: str | Path, text: str | None = None) -> PlanJson:
    """Read and check a plan JSON file (or `text` read from it); errors name the file."""
    file = Path(path)
    try:
        data = json.loads(file.read_text() if text is None else text)
    except OSError as exc:
        raise PlanFormatError(f"{file}: cannot read the plan: {exc.strerror}") from exc
    except ValueError as exc:
        raise PlanFormatError(
            f"{file}: not JSON ({exc}); give the output of `terraform show -json PLANFILE`"
        ) from exc
    try:
        return PlanJson.parse(data)
    except PlanFormatError as exc:
        raise PlanFormatError(f"{file}: {exc}") from None


def _objects(value: Any) -> list[JsonObject]:
    return [v for v in value or [] if isinstance(v, dict)]


def _root(source: Any, *, values: bool = True) -> JsonObject:
    if not isinstance(source, dict):
        return {}
    body = source.get("values") if values else source
    root = (body or {}).get("root_module") if isinstance(body, dict) else None
    return root if isinstance(root, dict) else {}


def _resources(module: JsonObject) -> Iterator[JsonObject]:
    yield from _objects(module.get("resources"))
    for child in _objects(module.get("child_modules")):
        yield from _resources(child)
