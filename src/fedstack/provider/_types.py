"""Terraform types the `tf` framework lacks: objects, and lists of objects built from them.

`tf` 1.2 ships primitive types, lists, sets and maps; an object type is a small implementation
of its `TfType` protocol (cty's JSON type form; msgpack carries objects as maps).
"""

from __future__ import annotations

import json
from typing import Any

from tf.types import Bool, List, String, TfType, Unknown

__all__ = ["Object", "object_list", "STRING", "BOOL"]

STRING = String()
BOOL = Bool()


class Object(TfType):
    """An object with fixed attribute names and types (`object({a = string, ...})`)."""

    def __init__(self, attributes: dict[str, TfType]) -> None:
        self.attributes = attributes

    def encode(self, value: Any) -> Any:
        if value is None or value is Unknown:
            return value
        return {name: kind.encode(value.get(name)) for name, kind in self.attributes.items()}

    def decode(self, value: Any) -> Any:
        if value is None or value is Unknown:
            return value
        return {name: kind.decode(value.get(name)) for name, kind in self.attributes.items()}

    def tf_type(self) -> bytes:
        fields = {name: json.loads(kind.tf_type()) for name, kind in self.attributes.items()}
        return json.dumps(["object", fields], separators=(",", ":")).encode()


def object_list(**attributes: TfType) -> List:
    """`list(object({...}))` with the given attribute types."""
    return List(Object(attributes))
