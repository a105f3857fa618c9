"""A Fulcrum-protocol server for the agent tests, written from Fulcrum core's OpenAPI documents.

Fulcrum core (Go, fulcrumproject/core) cannot be built here (no Go toolchain or module proxy),
so this stands in for it: a real HTTP server on 127.0.0.1 speaking the agent side of its API as
docs/openapi/ describes it (bearer tokens; agents/me and agents/me/status; jobs/pending with the
service preloaded and one job per service group; jobs/{id}, claim, complete, fail;
service-types/{id}; metric-entries; vault/secrets/{reference}) and the service lifecycle of
docs/SERVICE_TYPE.md (a completed job takes the action's normal transition, a failed one the
first error transition whose onErrorRegexp matches its message; agent-written secret properties
are stored in the vault and replaced by vault:// references). It records every call and checks
every request body against the documented schemas (strictly: unknown fields are refused) and
every response body it sends, so a test can assert that the agent kept the contract.
Administration (service types, services, secrets) is done from Python, not over HTTP.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import secrets
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from http_helpers import loopback_server
from typing import Any

import fulcrum_schemas as schemas
import jsonschema

_VALIDATOR = jsonschema.Draft202012Validator


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")


def problems(schema: dict[str, Any], body: Any) -> list[str]:
    """Every way `body` breaks `schema` (empty when it conforms)."""
    validator = _VALIDATOR(schema, format_checker=_VALIDATOR.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<body>'}: {e.message}"
        for e in validator.iter_errors(body)
    ]


@dataclass
class Call:
    """One request the server answered."""

    method: str
    path: str
    body: Any
    status: int
    problems: list[str] = field(default_factory=list)


@dataclass
class FulcrumServer:
    """The server's state: one provider participant with one agent, its services and jobs."""

    url: str = ""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    provider_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    agent: dict[str, Any] = field(default_factory=dict)
    service_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    vault: dict[str, Any] = field(default_factory=dict)
    metric_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    metric_entries: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    status_history: list[str] = field(default_factory=list)
    me_unavailable: bool = False
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.agent = {
            "id": str(uuid.uuid4()),
            "name": "fedstack-sandbox-fr",
            "status": "New",
            "providerId": self.provider_id,
            "agentTypeId": str(uuid.uuid4()),
            "tags": [],
            "configuration": {},
            "createdAt": _now(),
            "updatedAt": _now(),
        }

    # -- administration (what a Fulcrum admin or consumer would do) --------------------------

    def register_service_type(self, body: dict[str, Any]) -> str:
        """Store a CreateServiceTypeReq (checked against the schema); returns its id."""
        found = problems(schemas.strict(schemas.CREATE_SERVICE_TYPE_REQ), body)
        assert not found, found
        type_id = str(uuid.uuid4())
        self.service_types[type_id] = {
            "id": type_id,
            **body,
            "createdAt": _now(),
            "updatedAt": _now(),
        }
        return type_id

    def register_metric_type(self, body: dict[str, Any]) -> None:
        """Store a MetricTypeReq (checked against the schema)."""
        found = problems(schemas.strict(schemas.METRIC_TYPE_REQ), body)
        assert not found, found
        self.metric_types[body["name"]] = {"id": str(uuid.uuid4()), **body}

    def store_secret(self, value: Any) -> str:
        """Put a value in the vault; returns its vault:// reference."""
        ref = secrets.token_hex(8)
        self.vault[ref] = value
        return f"vault://{ref}"

    def create_service(self, type_id: str, name: str, properties: dict[str, Any]) -> dict[str, Any]:
        """A new service in the lifecycle's initial state, and its create job."""
        lifecycle = self.service_types[type_id]["lifecycleSchema"]
        with self.lock:
            service = {
                "id": str(uuid.uuid4()),
                "name": name,
                "status": lifecycle["initialState"],
                "properties": dict(properties),
                "agentInstanceData": {},
                "agentInstanceId": None,
                "providerId": self.provider_id,
                "consumerId": str(uuid.uuid4()),
                "agentId": self.agent["id"],
                "serviceTypeId": type_id,
                "groupId": str(uuid.uuid4()),
                "createdAt": _now(),
                "updatedAt": _now(),
            }
            self.services[service["id"]] = service
            self.new_job(service["id"], "create", dict(properties))
            return service

    def new_job(self, service_id: str, action: str, params: dict[str, Any] | None = None) -> str:
        """A pending job for the service's agent; returns its id."""
        service = self.services[service_id]
        with self.lock:
            job = {
                "id": str(uuid.uuid4()),
                "providerId": service["providerId"],
                "consumerId": service["consumerId"],
                "agentId": service["agentId"],
                "serviceId": service_id,
                "action": action,
                "params": params or {},
                "status": "Pending",
                "priority": 1,
                "claimedAt": None,
                "completedAt": None,
                "createdAt": _now(),
                "updatedAt": _now(),
            }
            self.jobs[job["id"]] = job
            return str(job["id"])

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        """The recorded calls whose method matches and whose path matches the regexp."""
        with self.lock:
            return [c for c in self.calls if c.method == method and re.fullmatch(pattern, c.path)]

    def contract_problems(self) -> list[str]:
        """Every schema problem of every recorded call."""
        with self.lock:
            return [f"{c.method} {c.path}: {p}" for c in self.calls for p in c.problems]

    # -- the agent API ------------------------------------------------------------------------

    def handle(
        self, method: str, path: str, query: str, body: Any, auth: str | None
    ) -> tuple[int, Any, list[str]]:
        if auth != f"Bearer {self.token}":
            return 401, {"status": "Unauthorized", "error": "invalid token"}, []
        with self.lock:
            route = _route(method, path)
            if route is None:
                return 404, {"status": "Not found", "error": f"no route {method} {path}"}, []
            name, args = route
            request_schema = _REQUESTS.get(name)
            found = problems(schemas.strict(request_schema), body) if request_schema else []
            if request_schema and found:
                return 400, {"status": "Invalid request", "error": "; ".join(found)}, found
            status, answer = getattr(self, f"_{name}")(*args, body=body, query=query)
            response_schema = _RESPONSES.get(name)
            if response_schema is not None and status < 300:
                found += [f"(response) {p}" for p in problems(response_schema, answer)]
            return status, answer, found

    def _me(self, *, body: Any, query: str) -> tuple[int, Any]:
        if self.me_unavailable:
            return 503, {"status": "Unavailable", "error": "database unavailable"}
        return 200, self.agent

    def _status(self, *, body: Any, query: str) -> tuple[int, Any]:
        self.agent["status"] = body["status"]
        self.agent["updatedAt"] = _now()
        self.status_history.append(body["status"])
        return 200, self.agent

    def _service_type(self, type_id: str, *, body: Any, query: str) -> tuple[int, Any]:
        found = self.service_types.get(type_id)
        return (200, found) if found else (404, {"status": "Not found", "error": type_id})

    def _pending(self, *, body: Any, query: str) -> tuple[int, Any]:
        match = re.search(r"limit=(\d+)", query)
        limit = int(match.group(1)) if match else 10
        busy = {
            self.services[j["serviceId"]]["groupId"]
            for j in self.jobs.values()
            if j["status"] == "Processing"
        }
        chosen: dict[str, dict[str, Any]] = {}
        for job in sorted(self.jobs.values(), key=lambda j: (-j["priority"], j["createdAt"])):
            group = self.services[job["serviceId"]]["groupId"]
            if job["status"] != "Pending" or job["agentId"] != self.agent["id"] or group in busy:
                continue
            chosen.setdefault(group, job)
        jobs = list(chosen.values())[:limit]
        return 200, [{**j, "service": self.services[j["serviceId"]]} for j in jobs]

    def _job(self, job_id: str, *, body: Any, query: str) -> tuple[int, Any]:
        job = self.jobs.get(job_id)
        if job is None:
            return 404, {"status": "Not found", "error": job_id}
        return 200, {**job, "service": self.services[job["serviceId"]]}

    def _claim(self, job_id: str, *, body: Any, query: str) -> tuple[int, Any]:
        job = self.jobs.get(job_id)
        if job is None:
            return 404, {"status": "Not found", "error": job_id}
        if job["status"] != "Pending":
            return 400, {
                "status": "Invalid request",
                "error": "cannot claim a job not in pending status",
            }
        job.update(status="Processing", claimedAt=_now(), updatedAt=_now())
        return 204, None

    def _complete(self, job_id: str, *, body: Any, query: str) -> tuple[int, Any]:
        job = self.jobs.get(job_id)
        if job is None:
            return 404, {"status": "Not found", "error": job_id}
        if job["status"] != "Processing":
            return 400, {
                "status": "Invalid request",
                "error": "cannot complete a job not in processing status",
            }
        service = self.services[job["serviceId"]]
        schema = self.service_types[service["serviceTypeId"]]["propertySchema"]["properties"]
        for name, value in (body.get("properties") or {}).items():
            definition = schema.get(name)
            actors = [
                a
                for d in (definition or {}).get("authorizers", [])
                for a in d["config"].get("actors", [])
            ]
            if definition is None or "agent" not in actors:
                return 400, {
                    "status": "Invalid request",
                    "error": f"{name}: property can only be set by: {actors}",
                }
            if "secret" in definition:
                value = self.store_secret(value)
            service["properties"][name] = value
        if job["action"] in ("create", "update"):
            service["properties"].update(job["params"])
        service["agentInstanceData"] = body.get("agentInstanceData") or {}
        service["agentInstanceId"] = body.get("agentInstanceId")
        service["status"] = self._transition(service, job["action"], None)
        job.update(status="Completed", completedAt=_now(), updatedAt=_now())
        return 204, None

    def _fail(self, job_id: str, *, body: Any, query: str) -> tuple[int, Any]:
        job = self.jobs.get(job_id)
        if job is None:
            return 404, {"status": "Not found", "error": job_id}
        if job["status"] != "Processing":
            return 400, {
                "status": "Invalid request",
                "error": "cannot fail a job not in processing status",
            }
        service = self.services[job["serviceId"]]
        service["status"] = self._transition(service, job["action"], body["errorMessage"])
        job.update(
            status="Failed", errorMessage=body["errorMessage"], completedAt=_now(), updatedAt=_now()
        )
        return 204, None

    def _transition(self, service: dict[str, Any], action: str, error: str | None) -> str:
        lifecycle = self.service_types[service["serviceTypeId"]]["lifecycleSchema"]
        spec = next(a for a in lifecycle["actions"] if a["name"] == action)
        for t in spec["transitions"]:
            if t["from"] != service["status"] or bool(t.get("onError")) != (error is not None):
                continue
            if error is None or re.search(t.get("onErrorRegexp", ""), error):
                return str(t["to"])
        raise AssertionError(f"no transition of {action} from {service['status']} (error: {error})")

    def _metric(self, *, body: Any, query: str) -> tuple[int, Any]:
        kind = self.metric_types.get(body["typeName"])
        if kind is None:
            return 400, {
                "status": "Invalid request",
                "error": f"metric type {body['typeName']} not found",
            }
        service = self.services.get(body.get("serviceId", ""))
        if service is None or service["agentId"] != self.agent["id"]:
            return 400, {"status": "Invalid request", "error": "service not found for this agent"}
        entry = {
            "id": str(uuid.uuid4()),
            "providerId": self.provider_id,
            "consumerId": service["consumerId"],
            "agentId": self.agent["id"],
            "serviceId": service["id"],
            "resourceId": body["resourceId"],
            "value": body["value"],
            "typeId": kind["id"],
            "typeName": body["typeName"],
            "createdAt": _now(),
            "updatedAt": _now(),
        }
        self.metric_entries.append(entry)
        return 201, {k: v for k, v in entry.items() if k != "typeName"}

    def _secret(self, reference: str, *, body: Any, query: str) -> tuple[int, Any]:
        if reference not in self.vault:
            return 404, {
                "status": "Not found",
                "error": f"Secret with reference '{reference}' not found",
            }
        return 200, {"value": self.vault[reference]}


_UUID_RE = "[0-9a-f-]{36}"
_ROUTES = [
    ("GET", r"/api/v1/agents/me", "me"),
    ("PUT", r"/api/v1/agents/me/status", "status"),
    ("GET", rf"/api/v1/service-types/({_UUID_RE})", "service_type"),
    ("GET", r"/api/v1/jobs/pending", "pending"),
    ("GET", rf"/api/v1/jobs/({_UUID_RE})", "job"),
    ("POST", rf"/api/v1/jobs/({_UUID_RE})/claim", "claim"),
    ("POST", rf"/api/v1/jobs/({_UUID_RE})/complete", "complete"),
    ("POST", rf"/api/v1/jobs/({_UUID_RE})/fail", "fail"),
    ("POST", r"/api/v1/metric-entries", "metric"),
    ("GET", r"/api/v1/vault/secrets/([A-Za-z0-9_-]+)", "secret"),
]
_REQUESTS = {
    "status": schemas.UPDATE_STATUS_REQ,
    "complete": schemas.COMPLETE_JOB_REQ,
    "fail": schemas.FAIL_JOB_REQ,
    "metric": schemas.METRIC_ENTRY_REQ,
}
_RESPONSES = {
    "me": schemas.AGENT_RES,
    "status": schemas.AGENT_RES,
    "pending": {"type": "array", "items": schemas.JOB_RES},
    "job": schemas.JOB_RES,
    "metric": schemas.METRIC_ENTRY_RES,
    "secret": schemas.VAULT_SECRET_RES,
}


def _route(method: str, path: str) -> tuple[str, tuple[str, ...]] | None:
    for verb, pattern, name in _ROUTES:
        match = re.fullmatch(pattern, path)
        if verb == method and match:
            return name, match.groups()
    return None


@contextlib.contextmanager
def serve_fulcrum() -> Iterator[FulcrumServer]:
    """Run a FulcrumServer on a free loopback port for the duration of the block."""
    state = FulcrumServer()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            path, _, query = self.path.partition("?")
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            status, answer, found = state.handle(
                self.command, path, query, body, self.headers.get("Authorization")
            )
            with state.lock:
                state.calls.append(Call(self.command, path, body, status, found))
            data = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_POST = _serve

        def log_message(self, *_: Any) -> None:
            pass

    with loopback_server(Handler) as state.url:
        yield state
