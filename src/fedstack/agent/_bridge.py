"""The few bridge calls the agent needs beyond Terraform's own: readiness, the lock, findings.

fedstack.bridge.client has no lock or compliance calls yet; these belong there once the one
bridge client of the core has them (then this module becomes a thin re-export).
"""

from __future__ import annotations

from typing import Any

import httpx

from fedstack.errors import FedstackError

__all__ = ["AgentBridge", "BridgeUnavailable"]


class BridgeUnavailable(FedstackError):
    """The bridge could not be reached or refused the request."""


class AgentBridge:
    """One bridge, with the agent's token (all consumers' projects)."""

    def __init__(self, url: str, token: str | None, *, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def problem(self) -> str | None:
        """Why the bridge is not ready now, or None when `/readyz` answers 200."""
        try:
            response = self._http.get("/readyz", timeout=10)
        except httpx.HTTPError as exc:
            return f"cannot reach the bridge at {self.url}: {exc}"
        if response.status_code != 200:
            return f"the bridge is not ready (HTTP {response.status_code})"
        return None

    def lock_holder(self, project: str, stack: str) -> dict[str, Any] | None:
        """The LockInfo of the stack's lock holder, or None when it is not locked."""
        response = self._call("GET", f"/v1/states/{project}/{stack}/lock")
        return None if response.status_code == 204 else dict(response.json())

    def release_lock(self, project: str, stack: str, lock_id: str) -> None:
        """Release the lock `lock_id` holds (as its holder would)."""
        self._call("DELETE", f"/v1/states/{project}/{stack}/lock", json={"ID": lock_id})

    def open_findings(self, project: str, stack: str) -> int:
        """How many compliance findings of the stack are open."""
        params = {"state": "open", "project": project, "stack": stack, "limit": 1}
        response = self._call("GET", "/v1/compliance/findings", params=params)
        try:
            return int(response.json()["total"])
        except (KeyError, ValueError, TypeError) as exc:
            raise BridgeUnavailable(f"unexpected compliance answer: {exc}") from None

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise BridgeUnavailable(f"cannot reach the bridge at {self.url}: {exc}") from None
        if response.status_code >= 400:
            raise BridgeUnavailable(
                f"bridge answered {response.status_code} to {method} {path}: {response.text[:200]}"
            )
        return response
