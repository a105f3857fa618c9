"""The provider itself for the `tf` framework: its schema, configuration and parts.

Only `python -m fedstack.provider` (the launcher Terraform runs) imports this module.
"""

from __future__ import annotations

from typing import Any

from tf.function import Function
from tf.iface import Config, DataSource, Resource
from tf.schema import Attribute, Schema
from tf.utils import Diagnostics

from fedstack.provider._context import Context
from fedstack.provider._data_sources import DATA_SOURCES
from fedstack.provider._functions import FUNCTIONS
from fedstack.provider._install import SOURCE
from fedstack.provider._resources import RESOURCES
from fedstack.provider._types import STRING

__all__ = ["FedstackProvider"]

_SCHEMA = Schema(
    description="fedstack: placement, sovereignty policy, catalog and the state bridge.",
    attributes=[
        Attribute("bridge_url", STRING, "Bridge URL (default FEDSTACK_BRIDGE_URL).", optional=True),
        Attribute(
            "token",
            STRING,
            "Bridge token (default FEDSTACK_BRIDGE_TOKEN, then TF_HTTP_PASSWORD).",
            optional=True,
            sensitive=True,
        ),
        Attribute(
            "catalog", STRING, "A catalog YAML path (default the shipped one).", optional=True
        ),
    ],
)


class FedstackProvider:
    """The `fedstack` provider; the data sources, resources and function share its Context."""

    def __init__(self) -> None:
        self.context = Context()

    def get_model_prefix(self) -> str:
        return "fedstack_"

    def full_name(self) -> str:
        return SOURCE

    def get_provider_schema(self, diags: Diagnostics) -> Schema:
        return _SCHEMA

    def validate_config(self, diags: Diagnostics, config: Config) -> None:
        return None

    def configure_provider(self, diags: Diagnostics, config: Config) -> None:
        self.context = Context(
            bridge_url=_known(config.get("bridge_url")),
            token=_known(config.get("token")),
            catalog_path=_known(config.get("catalog")),
        )

    def get_data_sources(self) -> list[type[DataSource]]:
        return DATA_SOURCES

    def get_resources(self) -> list[type[Resource]]:
        return RESOURCES

    def get_functions(self) -> list[type[Function]]:
        return FUNCTIONS

    def new_resource(self, klass: type[Resource]) -> Resource:
        return klass(self)  # type: ignore[call-arg]

    def new_data_source(self, klass: type[DataSource]) -> DataSource:
        return klass(self)  # type: ignore[call-arg]

    def new_function(self, klass: type[Function]) -> Function:
        return klass(self)  # type: ignore[call-arg]


def _known(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
