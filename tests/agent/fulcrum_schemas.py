"""JSON Schemas of the Fulcrum core bodies the agent sends and receives.

Transcribed by hand from Fulcrum's OpenAPI documents (fulcrumproject/core, docs/openapi/,
May 2026: components/schemas/{agents,jobs,metric_entries,metric_types,service_types,
agent_types,common}.yaml and the path files of the agent endpoints). Only the shapes; the
descriptions and examples are left out.
"""

from __future__ import annotations

from typing import Any

_UUID = {"type": "string", "format": "uuid"}
_TIME = {"type": "string", "format": "date-time"}
_OBJECT = {"type": "object", "additionalProperties": True}
_NULLABLE_TIME = {"anyOf": [_TIME, {"type": "null"}]}

AGENT_STATUS = {"type": "string", "enum": ["New", "Connected", "Disconnected", "Error", "Disabled"]}

UPDATE_STATUS_REQ = {
    "type": "object",
    "required": ["status"],
    "properties": {"status": AGENT_STATUS},
}

AGENT_RES = {
    "type": "object",
    "properties": {
        "id": _UUID,
        "name": {"type": "string"},
        "status": AGENT_STATUS,
        "providerId": _UUID,
        "agentTypeId": _UUID,
        "tags": {"type": "array", "items": {"type": "string"}},
        "configuration": _OBJECT,
        "createdAt": _TIME,
        "updatedAt": _TIME,
    },
}

SERVICE_RES = {
    "type": "object",
    "properties": {
        "id": _UUID,
        "name": {"type": "string"},
        "status": {"type": "string"},
        "properties": _OBJECT,
        "agentInstanceData": _OBJECT,
        "agentInstanceId": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "providerId": _UUID,
        "consumerId": _UUID,
        "agentId": _UUID,
        "serviceTypeId": _UUID,
        "groupId": _UUID,
        "createdAt": _TIME,
        "updatedAt": _TIME,
    },
}

JOB_RES = {
    "type": "object",
    "properties": {
        "id": _UUID,
        "providerId": _UUID,
        "consumerId": _UUID,
        "agentId": _UUID,
        "serviceId": _UUID,
        "action": {"type": "string"},
        "params": _OBJECT,
        "status": {"type": "string", "enum": ["Pending", "Processing", "Completed", "Failed"]},
        "priority": {"type": "integer"},
        "errorMessage": {"type": "string"},
        "claimedAt": _NULLABLE_TIME,
        "completedAt": _NULLABLE_TIME,
        "createdAt": _TIME,
        "updatedAt": _TIME,
        "service": SERVICE_RES,
    },
}

COMPLETE_JOB_REQ = {
    "type": "object",
    "properties": {
        "agentInstanceId": {"type": "string"},
        "agentInstanceData": _OBJECT,
        "properties": {"type": "object", "additionalProperties": True},
    },
}

FAIL_JOB_REQ = {
    "type": "object",
    "required": ["errorMessage"],
    "properties": {"errorMessage": {"type": "string"}},
}

METRIC_ENTRY_REQ = {
    "type": "object",
    "required": ["resourceId", "typeName", "value"],
    "properties": {
        "serviceId": _UUID,
        "agentInstanceId": {"type": "string"},
        "resourceId": {"type": "string"},
        "value": {"type": "number"},
        "typeName": {"type": "string"},
    },
}

METRIC_ENTRY_RES = {
    "type": "object",
    "properties": {
        "id": _UUID,
        "providerId": _UUID,
        "consumerId": _UUID,
        "agentId": _UUID,
        "serviceId": _UUID,
        "resourceId": {"type": "string"},
        "value": {"type": "number"},
        "typeId": {"type": "string"},
        "createdAt": _TIME,
        "updatedAt": _TIME,
    },
}

METRIC_TYPE_REQ = {
    "type": "object",
    "required": ["name", "entityType"],
    "properties": {
        "name": {"type": "string"},
        "entityType": {"type": "string", "enum": ["Agent", "Service", "Resource"]},
    },
}

VAULT_SECRET_RES = {"type": "object", "required": ["value"], "properties": {"value": {}}}

_TYPED_CONFIG = {
    "type": "object",
    "required": ["type", "config"],
    "properties": {"type": {"type": "string"}, "config": _OBJECT},
}

PROPERTY_DEFINITION: dict[str, Any] = {
    "$id": "urn:fedstack-test:fulcrum:PropertyDefinition",
    "type": "object",
    "properties": {
        "type": {
            "type": "string",
            "enum": ["string", "integer", "number", "boolean", "uuid", "object", "array", "json"],
        },
        "label": {"type": "string"},
        "required": {"type": "boolean"},
        "default": {},
        "immutable": {"type": "boolean"},
        "authorizers": {
            "type": "array",
            "items": {
                **_TYPED_CONFIG,
                "properties": {"type": {"enum": ["actor", "state"]}, "config": _OBJECT},
            },
        },
        "secret": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"enum": ["persistent", "ephemeral"]}},
        },
        "generator": {
            **_TYPED_CONFIG,
            "properties": {"type": {"enum": ["pool"]}, "config": _OBJECT},
        },
        "validators": {
            "type": "array",
            "items": {
                **_TYPED_CONFIG,
                "properties": {
                    "type": {
                        "enum": [
                            "minLength",
                            "maxLength",
                            "pattern",
                            "enum",
                            "min",
                            "max",
                            "minItems",
                            "maxItems",
                            "uniqueItems",
                            "serviceOption",
                            "serviceReference",
                        ]
                    },
                    "config": _OBJECT,
                },
            },
        },
        "properties": {"type": "object", "additionalProperties": {"$ref": "#"}},
        "items": {"$ref": "#"},
    },
}

_PROPERTY_SCHEMA = {
    "type": "object",
    "properties": {
        "properties": {"type": "object", "additionalProperties": PROPERTY_DEFINITION},
        "validators": {
            "type": "array",
            "items": {
                **_TYPED_CONFIG,
                "properties": {"type": {"enum": ["exactlyOne"]}, "config": _OBJECT},
            },
        },
    },
}

_TRANSITION = {
    "type": "object",
    "required": ["from", "to"],
    "properties": {
        "from": {"type": "string"},
        "to": {"type": "string"},
        "onError": {"type": "boolean"},
        "onErrorRegexp": {"type": "string"},
    },
}

LIFECYCLE_SCHEMA = {
    "type": "object",
    "required": ["states", "actions", "initialState"],
    "properties": {
        "states": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}},
            },
        },
        "actions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "transitions"],
                "properties": {
                    "name": {"type": "string"},
                    "requestSchemaType": {"type": "string", "enum": ["properties"]},
                    "transitions": {"type": "array", "items": _TRANSITION},
                },
            },
        },
        "initialState": {"type": "string"},
        "terminalStates": {"type": "array", "items": {"type": "string"}},
        "runningStates": {"type": "array", "items": {"type": "string"}},
    },
}

CREATE_SERVICE_TYPE_REQ = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "propertySchema": _PROPERTY_SCHEMA,
        "lifecycleSchema": LIFECYCLE_SCHEMA,
    },
}

CREATE_AGENT_TYPE_REQ = {
    "type": "object",
    "required": ["name", "configurationSchema"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "serviceTypeIds": {"type": "array", "items": _UUID},
        "configurationSchema": _PROPERTY_SCHEMA,
        "configTemplate": {"type": "string"},
        "cmdTemplate": {"type": "string"},
        "configContentType": {"type": "string"},
    },
}


def strict(schema: Any) -> Any:
    """The schema with unknown fields refused wherever it lists properties.

    Fulcrum's documents leave objects open; a field Fulcrum does not know is silently dropped
    there, so the tests refuse it: it would be a misspelt field in the agent.
    """
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) for key, value in schema.items()}
    if "properties" in schema and "additionalProperties" not in schema:
        if schema.get("type") == "object":
            out["additionalProperties"] = False
    return out
