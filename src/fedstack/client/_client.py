"""The one HTTP client of the bridge, over httpx: inventory, stacks, states, locks, audit, tokens,
drift and unmanaged runs, compliance findings, readiness.

The token comes from the caller, else FEDSTACK_BRIDGE_TOKEN, else TF_HTTP_PASSWORD (the same
bridge token Terraform's http backend uses); it is never printed. Must not import the web
framework or the database layer: it only speaks HTTP.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

import httpx

from fedstack import config
from fedstack.errors import ConfigError, FedstackError

if TYPE_CHECKING:
    from fedstack.drift.schema import DriftReport
    from fedstack.unmanaged import UnmanagedReport

__all__ = [
    "DRIFT_RUNS_PATH",
    "UNMANAGED_RUNS_PATH",
    "BridgeClient",
    "BridgeClientError",
    "bridge_token",
]

DRIFT_RUNS_PATH = "/v1/drift-runs"
UNMANAGED_RUNS_PATH = "/v1/unmanaged-runs"


class BridgeClientError(FedstackError):
    """The bridge refused a request or could not be reached; the message says which and why.

    `status` is the HTTP status of a refusal, None when the bridge did not answer.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def bridge_token() -> str | None:
    """FEDSTACK_BRIDGE_TOKEN, else TF_HTTP_PASSWORD, else None."""
    return config.setting("FEDSTACK_BRIDGE_TOKEN") or config.setting("TF_HTTP_PASSWORD")


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
        detail = body.get("detail") or body.get("error") if isinstance(body, dict) else None
    except ValueError:
        detail = None
    return str(detail) if detail else f"HTTP {response.status_code}"


class BridgeClient:
    """Talk to one bridge: FEDSTACK_BRIDGE_URL and a token (see bridge_token) by default."""

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        token_from_environment: bool = True,
    ) -> None:
        """`token_from_environment=False`: send only `token` (for an address that is not
        FEDSTACK_BRIDGE_URL's, which must not receive that bridge's token)."""
        base = (url or config.bridge_url() or "").rstrip("/")
        if not base:
            raise ConfigError("no bridge URL: pass --bridge URL or set FEDSTACK_BRIDGE_URL")
        if token_from_environment:
            token = token or bridge_token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.url = base
        self._http = httpx.Client(base_url=base, headers=headers, timeout=timeout)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def inventory(self, **filters: Any) -> dict[str, Any]:
        """`GET /v1/inventory` with filters (provider, region, country, type, project, stack, q, limit, offset, after)."""
        params = {k: v for k, v in filters.items() if v is not None}
        return self._json("GET", "/v1/inventory", params=params)

    def inventory_all(self, *, max_pages: int = 1000, **filters: Any) -> list[dict[str, Any]]:
        """Every resource matching `filters`, fetched in pages of 1,000 through the keyset cursor.

        Bounded by `max_pages` (a million resources by default), so a runaway listing cannot loop.
        """
        items: list[dict[str, Any]] = []
        after: str | None = None
        for _ in range(max_pages):
            page = self.inventory(**filters, limit=1000, after=after)
            items += page["items"]
            after = page.get("next_after")
            if not after or not page["items"]:
                break
        return items

    def stacks(self) -> list[dict[str, Any]]:
        """`GET /v1/stacks`."""
        return list(self._json("GET", "/v1/stacks")["stacks"])

    def set_placement(self, project: str, stack: str, provider: str, region: str) -> dict[str, Any]:
        """`PUT /v1/stacks/<project>/<stack>`: where the stack runs, in catalog terms."""
        return self._json(
            "PUT", f"/v1/stacks/{project}/{stack}", json={"provider": provider, "region": region}
        )

    def record_step(
        self, project: str, stack: str, action: str, seconds: float, detail: str
    ) -> dict[str, Any]:
        """`POST /v1/stacks/<project>/<stack>/events`: a step done to the stack, into the audit log."""
        body = {"action": action, "seconds": seconds, "detail": detail[:4000]}
        return self._json("POST", f"/v1/stacks/{project}/{stack}/events", json=body)

    def state(self, project: str, stack: str) -> bytes | None:
        """The current state body, or None when the stack has none."""
        try:
            response = self._request("GET", f"/v1/states/{project}/{stack}")
        except BridgeClientError as exc:
            if exc.status == 404:
                return None
            raise
        return None if response.status_code == 204 or not response.content else response.content

    def lock_holder(self, project: str, stack: str) -> dict[str, Any] | None:
        """The LockInfo of the stack's state lock holder, or None when it is not locked."""
        response = self._request("GET", f"/v1/states/{project}/{stack}/lock")
        return None if response.status_code == 204 else dict(response.json())

    def release_lock(self, project: str, stack: str, lock_id: str) -> None:
        """Release the state lock `lock_id` holds, as its holder would."""
        self._request("DELETE", f"/v1/states/{project}/{stack}/lock", json={"ID": lock_id})

    def open_findings(self, project: str, stack: str) -> int:
        """How many compliance findings of the stack are open."""
        params = {"state": "open", "project": project, "stack": stack, "limit": 1}
        answer = self._json("GET", "/v1/compliance/findings", params=params)
        try:
            return int(answer["total"])
        except (KeyError, ValueError, TypeError) as exc:
            raise BridgeClientError(f"unexpected compliance answer: {exc}") from None

    def problem(self) -> str | None:
        """Why the bridge is not ready now, or None when `/readyz` answers 200."""
        try:
            response = self._http.get("/readyz", timeout=10)
        except httpx.HTTPError as exc:
            return f"cannot reach the bridge at {self.url}: {exc}"
        if response.status_code != 200:
            return f"the bridge is not ready (HTTP {response.status_code})"
        return None

    def versions(self, project: str, stack: str) -> list[dict[str, Any]]:
        """Every stored version of a stack (without bodies)."""
        return list(self._json("GET", f"/v1/states/{project}/{stack}/versions")["versions"])

    def audit(self, **filters: Any) -> dict[str, Any]:
        """`GET /v1/audit` (admin)."""
        return self._json(
            "GET", "/v1/audit", params={k: v for k, v in filters.items() if v is not None}
        )

    def post_drift_run(self, report: DriftReport, project: str | None = None) -> dict[str, Any]:
        """`POST /v1/drift-runs`; the bridge's JSON answer (empty when it sent none).

        `project`, else FEDSTACK_BRIDGE_PROJECT, names the project (`?project=`) for a token
        valid on every project; a project's own token names its project.
        """
        return self._post_run(DRIFT_RUNS_PATH, "drift run", report.model_dump_json(), project)

    def post_unmanaged_run(
        self, report: UnmanagedReport, project: str | None = None
    ) -> dict[str, Any]:
        """`POST /v1/unmanaged-runs` (drift:write scope); the bridge's JSON answer.

        `project` as for post_drift_run.
        """
        from fedstack.unmanaged import report_document  # here: only this call needs the model

        body = json.dumps(report_document(report))
        return self._post_run(UNMANAGED_RUNS_PATH, "unmanaged run", body, project)

    def _post_run(self, path: str, what: str, content: str, project: str | None) -> dict[str, Any]:
        url = self.url + path
        project = project or config.setting("FEDSTACK_BRIDGE_PROJECT")
        try:
            response = self._http.post(
                path,
                content=content,
                headers={"Content-Type": "application/json", "Accept": "application/json"},
                params={"project": project} if project else None,
            )
        except httpx.HTTPError as exc:
            raise BridgeClientError(f"cannot post the {what} to {url}: {exc}") from None
        if response.status_code in (401, 403):
            raise BridgeClientError(
                f"the bridge at {url} refused the {what} (HTTP {response.status_code}): set "
                "FEDSTACK_BRIDGE_TOKEN (or TF_HTTP_PASSWORD) to a token with the drift:write scope",
                response.status_code,
            )
        if response.status_code >= 400:
            body = " ".join(response.text.split())[:200]
            raise BridgeClientError(
                f"the bridge at {url} refused the {what}: HTTP {response.status_code} {body}",
                response.status_code,
            )
        try:
            answer = response.json()
        except ValueError:
            return {}
        return answer if isinstance(answer, dict) else {}

    def check_drift_access(self, project: str | None = None) -> None:
        """Raise BridgeClientError unless the bridge answers and the token may post drift runs.

        Posts an empty object to /v1/drift-runs: the bridge checks the caller's scope before
        the body, so 400 (not a report) means allowed, and nothing is stored.
        """
        target = project or config.setting("FEDSTACK_BRIDGE_PROJECT")
        try:
            response = self._http.post(
                DRIFT_RUNS_PATH,
                content=b"{}",
                headers={"Content-Type": "application/json", "Accept": "application/json"},
                params={"project": target} if target else None,
            )
        except httpx.HTTPError as exc:
            raise BridgeClientError(
                f"cannot reach the bridge at {self.url} ({exc}); nothing was checked"
            ) from None
        where = f"project {target!r}" if target else "the token's project"
        if response.status_code == 401:
            raise BridgeClientError(
                f"the bridge at {self.url} refused the token ({_reason(response)}): set "
                "FEDSTACK_BRIDGE_TOKEN (or TF_HTTP_PASSWORD) to a valid drift:write token",
                401,
            )
        if response.status_code == 403:
            raise BridgeClientError(
                f"the token may not post drift runs for {where} at {self.url} "
                f"({_reason(response)}): use a drift:write token of that project",
                403,
            )
        if response.status_code == 404:
            raise BridgeClientError(
                f"{self.url} is not a fedstack bridge (no {DRIFT_RUNS_PATH})", 404
            )

    def stack(self, project: str, stack: str) -> dict[str, Any] | None:
        """`GET /v1/stacks/<project>/<stack>`, None when the bridge holds no such stack."""
        try:
            return self._json("GET", f"/v1/stacks/{project}/{stack}")
        except BridgeClientError as exc:
            if exc.status == 404:
                return None
            raise

    def project_policy(self, project: str) -> dict[str, Any]:
        """`GET /v1/projects/<project>/policy` (404 when the project has none)."""
        return self._json("GET", f"/v1/projects/{project}/policy")

    def set_project_policy(
        self, project: str, *, preset: str | None = None, yaml: str | None = None
    ) -> dict[str, Any]:
        """`PUT /v1/projects/<project>/policy` with a preset name or a policy YAML text (admin)."""
        body = {"preset": preset} if preset is not None else {"yaml": yaml}
        return self._json("PUT", f"/v1/projects/{project}/policy", json=body)

    def delete_project_policy(self, project: str) -> None:
        """`DELETE /v1/projects/<project>/policy` (admin)."""
        self._request("DELETE", f"/v1/projects/{project}/policy")

    def create_token(
        self,
        project: str,
        scope: str,
        description: str = "",
        *,
        expires_in: str | None = None,
        expires_at: datetime | None = None,
    ) -> dict[str, Any]:
        """`POST /v1/tokens` (admin): the new token's metadata and, this once, its secret.

        `expires_in` (`30d`, `12h`, `90m`, as `fedstack token create --expires`) or `expires_at`
        (aware, or naive UTC) ends its life; with neither it never expires.
        """
        if expires_in is not None and expires_at is not None:
            raise ConfigError("give expires_in or expires_at, not both")
        body: dict[str, Any] = {"project": project, "scope": scope, "description": description}
        if expires_in is not None:
            from fedstack.contracts import parse_duration  # here: the client needs httpx only

            parse_duration(expires_in)  # the bridge's syntax: a typo fails here, by name
            body["expires_in"] = expires_in.strip()
        if expires_at is not None:
            moment = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)
            body["expires_at"] = moment.isoformat()
        return self._json("POST", "/v1/tokens", json=body)

    def token(self, token_id: str) -> dict[str, Any]:
        """`GET /v1/tokens/<id>` (admin): project, scope, description, revoked, expires_at, expired."""
        return self._json("GET", f"/v1/tokens/{token_id}")

    def revoke_token(self, token_id: str) -> None:
        """`DELETE /v1/tokens/<id>` (admin)."""
        self._request("DELETE", f"/v1/tokens/{token_id}")

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return dict(self._request(method, path, **kwargs).json())

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise BridgeClientError(f"cannot reach the bridge at {self.url}: {exc}") from None
        if response.status_code >= 400:
            try:
                reason = response.json().get("error") or response.text
            except ValueError:
                reason = response.text
            raise BridgeClientError(
                f"bridge answered {response.status_code} to {method} {path}: {reason}",
                response.status_code,
            )
        return response
