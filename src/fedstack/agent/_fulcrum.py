"""An httpx client of the agent side of Fulcrum core's API (`/api/v1`, bearer token).

Built from Fulcrum's OpenAPI documents (docs/openapi/ in fulcrumproject/core): agent status and
self, pending jobs, claim / complete / fail, metric entries, and vault secrets. Bodies are
plain dicts shaped as those documents say; the test server checks them against the schemas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Self

import httpx

from fedstack.agent._errors import FulcrumError

__all__ = ["AgentStatus", "FulcrumClient", "Job", "VAULT_PREFIX"]

AgentStatus = Literal["Connected", "Disconnected", "Error"]
"""The statuses an agent sets itself (Fulcrum's AgentStatus also has New and Disabled)."""

VAULT_PREFIX = "vault://"


@dataclass(frozen=True)
class Job:
    """One Fulcrum job as `GET /jobs/pending` returns it (JobRes), with its service preloaded."""

    id: str
    action: str
    service_id: str
    consumer_id: str
    params: dict[str, Any]
    service: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, body: dict[str, Any]) -> Job:
        """A Job from a JobRes body; missing optional fields become empty."""
        service = body.get("service") or {}
        return cls(
            id=str(body["id"]),
            action=str(body["action"]),
            service_id=str(body.get("serviceId") or service.get("id") or ""),
            consumer_id=str(body.get("consumerId") or service.get("consumerId") or ""),
            params=dict(body.get("params") or {}),
            service=dict(service),
        )

    @property
    def service_properties(self) -> dict[str, Any]:
        """The service's current properties (what update and custom actions start from)."""
        return dict(self.service.get("properties") or {})

    @property
    def service_type_id(self) -> str | None:
        """The service's serviceTypeId, when the service was preloaded."""
        value = self.service.get("serviceTypeId")
        return str(value) if value else None


class FulcrumClient:
    """Talk to one Fulcrum core as one agent (its bearer token)."""

    def __init__(self, url: str, token: str, *, timeout: float = 30.0) -> None:
        base = url.rstrip("/")
        if not base.endswith("/api/v1"):
            base += "/api/v1"
        self.url = base
        self._http = httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=timeout
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    # -- the agent itself ---------------------------------------------------------------------

    def me(self) -> dict[str, Any]:
        """`GET /agents/me`: this agent (AgentRes)."""
        return dict(self._request("GET", "/agents/me").json())

    def set_status(self, status: AgentStatus) -> dict[str, Any]:
        """`PUT /agents/me/status`."""
        return dict(self._request("PUT", "/agents/me/status", json={"status": status}).json())

    def service_type(self, type_id: str) -> dict[str, Any]:
        """`GET /service-types/{id}` (agents may read every service type)."""
        return dict(self._request("GET", f"/service-types/{type_id}").json())

    # -- jobs ---------------------------------------------------------------------------------

    def pending_jobs(self, limit: int = 10) -> list[Job]:
        """`GET /jobs/pending`: jobs assigned to this agent and waiting for a claim."""
        body = self._request("GET", "/jobs/pending", params={"limit": limit}).json()
        return [Job.from_api(item) for item in body]

    def job(self, job_id: str) -> dict[str, Any]:
        """`GET /jobs/{id}` (JobRes): used on restart to see where a claimed job stands."""
        return dict(self._request("GET", f"/jobs/{job_id}").json())

    def claim(self, job_id: str) -> None:
        """`POST /jobs/{id}/claim` (204)."""
        self._request("POST", f"/jobs/{job_id}/claim")

    def complete(
        self,
        job_id: str,
        *,
        instance_id: str | None,
        instance_data: dict[str, Any],
        properties: dict[str, Any],
    ) -> None:
        """`POST /jobs/{id}/complete` with CompleteJobReq."""
        body: dict[str, Any] = {"agentInstanceData": instance_data, "properties": properties}
        if instance_id:
            body["agentInstanceId"] = instance_id
        self._request("POST", f"/jobs/{job_id}/complete", json=body)

    def fail(self, job_id: str, message: str) -> None:
        """`POST /jobs/{id}/fail` with FailJobReq (the message drives the error transition)."""
        self._request("POST", f"/jobs/{job_id}/fail", json={"errorMessage": message})

    # -- metrics and secrets ------------------------------------------------------------------

    def post_metric(
        self, *, type_name: str, resource_id: str, value: float, service_id: str
    ) -> dict[str, Any]:
        """`POST /metric-entries` with MetricEntryReq (201)."""
        body = {
            "typeName": type_name,
            "resourceId": resource_id,
            "value": float(value),
            "serviceId": service_id,
        }
        return dict(self._request("POST", "/metric-entries", json=body).json())

    def secret(self, reference: str) -> Any:
        """`GET /vault/secrets/{reference}`: the value behind `vault://<reference>`."""
        ref = reference.removeprefix(VAULT_PREFIX)
        return self._request("GET", f"/vault/secrets/{ref}").json()["value"]

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise FulcrumError(f"cannot reach Fulcrum at {self.url}: {exc}") from None
        if response.status_code >= 400:
            try:
                answer = response.json()
                reason = answer.get("error") or answer.get("status") or response.text
            except (ValueError, AttributeError):
                reason = response.text
            raise FulcrumError(
                f"Fulcrum answered {response.status_code} to {method} {path}: {reason}"
            )
        return response
