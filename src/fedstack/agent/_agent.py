"""The Fulcrum agent: poll Fulcrum core for jobs, deploy each service's module, report back.

One agent serves one provider placement (a catalog provider and region). A job is claimed,
checked against the agent's sovereignty policy, turned into a one-component Terraform root with
its state in the bridge, applied or destroyed, and completed with the module's outputs as
properties, or failed with a message whose first word says its kind (see JobFailure). Progress
goes to a journal first, so a restart resumes an interrupted job instead of applying it twice.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import shutil
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from fedstack.agent._definitions import AGENT_SET_INPUTS, capability_of
from fedstack.agent._drift import DriftOptions, Stack, run_drift
from fedstack.agent._errors import AgentError, FulcrumError, JobFailure
from fedstack.agent._fulcrum import VAULT_PREFIX, FulcrumClient, Job
from fedstack.agent._journal import Entry, Journal
from fedstack.agent._root import COMPONENT, Component, write_root
from fedstack.catalog import INTERFACES, Catalog, load_catalog, read_module
from fedstack.client import BridgeClient, BridgeClientError
from fedstack.errors import TerraformError
from fedstack.policy import Policy
from fedstack.sandbox import Sandbox, credentials_for
from fedstack.terraform import Terraform

__all__ = ["Agent", "AgentSettings", "METRIC_TYPES", "PolicyRefusal"]

METRIC_TYPES = {
    "fedstack.drift.attributes": (
        "Resource",
        "attributes of one resource changed out of band (0: in sync; a deleted resource: 1)",
    ),
    "fedstack.drift.errors": ("Service", "1 when the drift check of the service failed"),
    "fedstack.compliance.findings": (
        "Service",
        "open compliance findings of the service in the bridge",
    ),
}
"""Fulcrum metric types the agent posts entries of: name -> (entityType, meaning).
Register them in Fulcrum before starting the agent."""

_QUOTA = re.compile(r"quota|limit exceeded|TooMany|insufficient capacity", re.IGNORECASE)
_LOCKED = re.compile(r"state lock", re.IGNORECASE)
_MESSAGE_LIMIT = 1000
_DEPLOYED = ".deployed"
"""Marker of a service folder whose apply succeeded: drift checks those."""
_INITIALISED = ".initialised"
"""What the folder's last successful `terraform init` was for (a fingerprint)."""
_VAULT_INPUTS = "vault-inputs.json"
"""A service folder's inputs that hold vault:// references (references only, never values)."""


class PolicyRefusal(AgentError):
    """The agent's own placement breaks its policy: it does not start (exit code 2)."""

    exit_code = 2


@dataclass
class AgentSettings:
    """Everything `fedstack agent run` is told."""

    fulcrum_url: str
    token: str
    provider: str
    region: str
    bridge_url: str
    bridge_token: str | None
    policy: Policy
    work_dir: Path
    poll_interval: float = 2.0
    drift_interval: float = 900.0
    terraform_timeout: float = 900.0
    log: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr))


class Agent:
    """One agent process: `run` until `stop` is set; `request_drift` asks for a drift run now."""

    def __init__(self, settings: AgentSettings, catalog: Catalog | None = None) -> None:
        self.settings = settings
        self.catalog = catalog or load_catalog()
        self.catalog.provider(settings.provider)  # an unknown provider fails here, by name
        if settings.region not in self.catalog.providers[settings.provider].regions:
            known = ", ".join(sorted(self.catalog.providers[settings.provider].regions))
            raise AgentError(
                f"{settings.region!r} is not a region of {settings.provider} ({known})"
            )
        self.fulcrum = FulcrumClient(settings.fulcrum_url, settings.token)
        self.bridge = BridgeClient(settings.bridge_url, settings.bridge_token)
        self.journal = Journal(settings.work_dir / "journal.json")
        self._drift_now = threading.Event()
        self._types: dict[str, str | None] = {}
        self._healthy = False

    # -- the loop -----------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Connect, resume the journal, poll and work until `stop`, then disconnect."""
        self.check_own_placement()
        me = self.fulcrum.me()
        self._log(
            f"agent {me.get('name', me.get('id'))}: {self.settings.provider}/{self.settings.region}"
        )
        self._set_status("Connected")
        self._healthy = True
        self.resume()
        last_drift = time.monotonic()
        try:
            while not stop.is_set():
                if self._health_check():
                    self._poll_once()
                    due = time.monotonic() - last_drift >= self.settings.drift_interval
                    if self._drift_now.is_set() or due:
                        self._drift_now.clear()
                        self.drift()
                        last_drift = time.monotonic()
                stop.wait(self.settings.poll_interval)
        except BaseException:
            self._set_status("Error", quiet=True)
            raise
        self._set_status("Disconnected", quiet=True)
        self._log("agent stopped: Disconnected")

    def request_drift(self) -> None:
        """Run a drift check of every service at the next turn of the loop."""
        self._drift_now.set()

    def check_own_placement(self) -> None:
        """Refuse to start where the agent's own policy refuses its placement."""
        check = self.settings.policy.check_placement(
            self.catalog, self.settings.provider, self.settings.region
        )
        if not check.passed:
            worst = check.failures()[0]
            raise PolicyRefusal(
                f"policy {self.settings.policy.name} refuses this agent's placement "
                f"{self.settings.provider}/{self.settings.region}: {worst.rule_id}: {worst.message}"
            )

    def _health_check(self) -> bool:
        try:
            self.fulcrum.me()
            problem = self.bridge.problem()
        except FulcrumError as exc:
            problem = str(exc)
        if problem is None and not self._healthy:
            self._log("health check passed again: Connected")
            self._set_status("Connected", quiet=True)
        elif problem is not None and self._healthy:
            self._log(f"health check failed: {problem}")
            self._set_status("Error", quiet=True)
        self._healthy = problem is None
        return self._healthy

    def _poll_once(self) -> None:
        try:
            jobs = self.fulcrum.pending_jobs()
        except FulcrumError as exc:
            self._log(f"polling failed: {exc}")
            return
        for job in jobs:
            self.handle(job)

    # -- one job ------------------------------------------------------------------------------

    def handle(self, job: Job) -> None:
        """Claim one pending job and do it."""
        self.journal.record(job.id, asdict(job), "claiming")
        try:
            self.fulcrum.claim(job.id)
        except FulcrumError as exc:
            # Another agent instance, or Fulcrum moved it on: nothing of ours to resume.
            self.journal.forget(job.id)
            self._log(f"job {job.id}: not claimed: {exc}")
            return
        self.journal.record(job.id, asdict(job), "claimed")
        self._work(job, "claimed")

    def resume(self) -> None:
        """Finish what a previous run of this agent claimed and did not report."""
        for job_id, entry in self.journal.entries().items():
            job = Job(**entry.job)
            try:
                status = self.fulcrum.job(job_id).get("status")
            except FulcrumError as exc:
                self._log(f"job {job_id}: cannot read it to resume ({exc}); kept for later")
                continue
            if status != "Processing":
                # Pending: the claim never landed; Completed/Failed: it was reported.
                self.journal.forget(job_id)
                continue
            self._log(f"job {job_id}: resuming {job.action} from phase {entry.phase}")
            if entry.phase == "applying":
                try:
                    self._release_stale_lock(job, entry)
                except JobFailure as failure:
                    self._report_failure(job, failure)
                    continue
            self._work(job, entry.phase)

    def _work(self, job: Job, phase: str) -> None:
        started = time.monotonic()
        try:
            properties, instance_id, data = self._execute(job, phase)
        except JobFailure as failure:
            self._report_failure(job, failure)
            return
        try:
            self.fulcrum.complete(
                job.id, instance_id=instance_id, instance_data=data, properties=properties
            )
        except FulcrumError as exc:
            self._log(f"job {job.id}: done, but the report failed ({exc}); kept in the journal")
            return
        self.journal.forget(job.id)
        if job.action == "delete":
            shutil.rmtree(self._folder(job), ignore_errors=True)
        took = time.monotonic() - started
        self._log(f"job {job.id}: {job.action} service {job.service_id}: completed in {took:.1f} s")

    def _report_failure(self, job: Job, failure: JobFailure) -> None:
        message = " ".join(str(failure).split())[:_MESSAGE_LIMIT]
        try:
            self.fulcrum.fail(job.id, message)
        except FulcrumError as exc:
            self._log(f"job {job.id}: failed, but the report failed ({exc}); kept in the journal")
            return
        self.journal.forget(job.id)
        self._log(f"job {job.id}: {job.action} service {job.service_id}: failed: {message}")

    def _execute(self, job: Job, phase: str) -> tuple[dict[str, Any], str | None, dict[str, Any]]:
        capability = self._capability(job)
        wanted = job.service_properties
        if job.action in ("create", "update"):
            wanted.update(job.params)
        inputs = self._inputs(capability, wanted)
        self._check_location(inputs["location"])
        secrets = self._resolve_secrets(inputs)
        folder = self._folder(job)
        write_root(
            folder,
            Component(capability, self.settings.provider, self.settings.region, inputs),
            catalog=self.catalog,
            bridge_url=self.settings.bridge_url,
            project=job.consumer_id,
            stack=job.service_id,
            sandbox_endpoint=self._sandbox_endpoint(),
            secret_inputs={name: INTERFACES[capability].input(name).type for name in secrets},  # type: ignore[union-attr]
        )
        env = {**self._terraform_env(), **_tf_vars(secrets)}
        vault_inputs = {k: v for k, v in inputs.items() if k in secrets}
        (folder / _VAULT_INPUTS).write_text(json.dumps(vault_inputs, sort_keys=True) + "\n")
        tf = Terraform(folder, env=env, timeout=self.settings.terraform_timeout)
        record = {k: v for k, v in asdict(job).items()}
        try:
            self._init(tf, folder)
            if phase != "applied":
                self.journal.record(job.id, record, "applying")
                if job.action == "delete":
                    tf.destroy()
                else:
                    tf.apply()
                self.journal.record(job.id, record, "applied")
            if job.action != "delete":
                (folder / _DEPLOYED).touch()
            outputs = {} if job.action == "delete" else tf.output()
        except TerraformError as exc:
            raise _terraform_failure(exc) from None
        properties = _properties(capability, outputs)
        instance_id = None if job.action == "delete" else _instance_id(outputs)
        data = {
            "provider": self.settings.provider,
            "region": self.settings.region,
            "capability": capability,
            "state": f"/v1/states/{job.consumer_id}/{job.service_id}",
        }
        return properties, instance_id, data

    def _init(self, tf: Terraform, folder: Path) -> None:
        """`terraform init`, skipped when the backend, provider and module are as last time."""
        root = json.loads((folder / "main.tf.json").read_text())
        basis = {
            "terraform": root["terraform"],
            "provider": root.get("provider"),
            "source": root["module"][COMPONENT]["source"],
        }
        fingerprint = hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()
        marker = folder / _INITIALISED
        if (folder / ".terraform").is_dir() and marker.is_file():
            if marker.read_text() == fingerprint:
                return
        tf.init()
        marker.write_text(fingerprint)

    def _capability(self, job: Job) -> str:
        type_id = job.service_type_id
        if type_id is None:
            raise JobFailure("invalid", f"job {job.id} names no service type")
        if type_id not in self._types:
            try:
                name = str(self.fulcrum.service_type(type_id).get("name", ""))
            except FulcrumError as exc:
                raise JobFailure("invalid", f"cannot read service type {type_id}: {exc}") from None
            self._types[type_id] = capability_of(name)
        capability = self._types[type_id]
        entry = self.catalog.providers[self.settings.provider]
        if capability is None:
            raise JobFailure("invalid", f"service type {type_id} is not a fedstack service type")
        if not entry.offers(capability, self.settings.region):
            raise JobFailure(
                "invalid",
                f"{self.settings.provider}/{self.settings.region} does not offer {capability}",
            )
        return capability

    def _inputs(self, capability: str, wanted: dict[str, Any]) -> dict[str, Any]:
        """Module inputs from service properties: interface inputs only, the location filled in."""
        interface = INTERFACES[capability]
        names = {i.name for i in interface.inputs}
        inputs = {k: v for k, v in wanted.items() if k in names and v is not None}
        inputs.setdefault("location", self.settings.region)
        missing = [i.name for i in interface.inputs if i.required and i.name not in inputs]
        if missing:
            raise JobFailure("invalid", f"missing properties: {', '.join(missing)}")
        variables = read_module(
            self.catalog.module_path(self.settings.provider, capability)
        ).variables
        for name in AGENT_SET_INPUTS & variables.keys():
            if name == "endpoint" and (endpoint := self._sandbox_endpoint()):
                inputs[name] = endpoint
        return inputs

    def _check_location(self, location: str) -> None:
        """The policy decides first (rule and reason); then whether this agent serves there."""
        check = self.settings.policy.check_placement(self.catalog, self.settings.provider, location)
        if not check.passed:
            worst = check.failures()[0]
            raise JobFailure(
                "policy", f"policy {self.settings.policy.name}: {worst.rule_id}: {worst.message}"
            )
        if location != self.settings.region:
            raise JobFailure(
                "invalid",
                f"location {location} is not this agent's region {self.settings.region}: "
                f"place the service on the agent tagged region:{location}",
            )

    def _resolve_secrets(self, inputs: dict[str, Any]) -> dict[str, str]:
        """TF_VAR values for inputs holding vault:// references, resolved through Fulcrum."""
        resolved: dict[str, str] = {}
        for name, value in inputs.items():
            if _has_vault_ref(value):
                try:
                    clear = _resolve(value, self.fulcrum.secret)
                except FulcrumError as exc:
                    raise JobFailure("invalid", f"property {name}: {exc}") from None
                resolved[name] = clear if isinstance(clear, str) else json.dumps(clear)
        return resolved

    # -- state lock ---------------------------------------------------------------------------

    def _release_stale_lock(self, job: Job, entry: Entry) -> None:
        """Release the lock an interrupted apply of this agent left; refuse a live holder's."""
        try:
            holder = self.bridge.lock_holder(job.consumer_id, job.service_id)
            if holder is None:
                return
            ours = holder.get("Who") == f"{getpass.getuser()}@{socket.gethostname()}"
            fresh = str(holder.get("Created", "")) >= (entry.applying_since or "")[:19]
            if ours and fresh and not _alive(entry.pid):
                self.bridge.release_lock(job.consumer_id, job.service_id, str(holder["ID"]))
                self._log(f"job {job.id}: released the lock of the interrupted apply")
                return
        except BridgeClientError as exc:
            raise JobFailure("locked", f"cannot read or release the state lock: {exc}") from None
        raise JobFailure(
            "locked",
            f"the state of service {job.service_id} is locked by {holder.get('Who')} "
            f"since {holder.get('Created')}: another agent is working on it",
        )

    # -- drift --------------------------------------------------------------------------------

    def drift(self) -> None:
        """Check every deployed service for drift; post metric entries to Fulcrum.

        One drift run per service: each gets its own vault-resolved TF_VAR values.
        """
        services = self.settings.work_dir / "services"
        folders = sorted(p.parent for p in services.glob(f"*/*/{_DEPLOYED}"))
        started = time.monotonic()
        drifted = errored = posted = 0
        for folder in folders:
            consumer, service = folder.parent.name, folder.name
            try:
                inputs = json.loads((folder / _VAULT_INPUTS).read_text())
                env = {**self._terraform_env(), **_tf_vars(self._resolve_secrets(inputs))}
            except (OSError, ValueError, JobFailure) as exc:
                self._log(f"drift of {consumer}/{service}: cannot resolve its secrets: {exc}")
                continue
            stack = Stack(
                name=f"{consumer}/{service}",
                path=folder,
                file=folder / "main.tf.json",
                source="folder",
            )
            report = run_drift([stack], DriftOptions(parallel=1, env=env, catalog=self.catalog))
            result = report.stacks[0]
            drifted += result.status == "drift"
            errored += result.status == "error"
            try:
                posted += self._post_drift(result, consumer, service)
            except FulcrumError as exc:
                self._log(f"drift of {result.name}: metrics not posted: {exc}")
        took = time.monotonic() - started
        self._log(
            f"drift: {len(folders)} services, {drifted} drifted, {errored} failed, "
            f"{posted} metric entries, {took:.1f} s"
        )

    def _post_drift(self, result: Any, consumer: str, service: str) -> int:
        if result.status == "error":
            self._log(f"drift of {result.name} failed: {result.error}")
            self._metric("fedstack.drift.errors", result.name, 1, service)
            return 1
        posted = 0
        changed = {d.address: d for d in result.drift if not d.ignored}
        for address in result.resources_checked or list(changed):
            found = changed.get(address)
            count = 0
            if found is not None:
                count = max(1, sum(1 for c in found.changes if not c.ignored))
            self._metric("fedstack.drift.attributes", address, count, service)
            posted += 1
        findings = self._open_findings(consumer, service)
        if findings is not None:
            self._metric("fedstack.compliance.findings", result.name, findings, service)
            posted += 1
        return posted

    def _open_findings(self, consumer: str, service: str) -> int | None:
        try:
            return self.bridge.open_findings(consumer, service)
        except BridgeClientError as exc:
            self._log(f"compliance findings of {consumer}/{service} unavailable: {exc}")
            return None

    def _metric(self, type_name: str, resource: str, value: float, service: str) -> None:
        self.fulcrum.post_metric(
            type_name=type_name, resource_id=resource, value=value, service_id=service
        )

    # -- helpers ------------------------------------------------------------------------------

    def _folder(self, job: Job) -> Path:
        return self.settings.work_dir / "services" / job.consumer_id / job.service_id

    def _terraform_env(self) -> dict[str, str]:
        env = credentials_for(self.catalog, self.settings.provider)
        if self.settings.bridge_token:
            env["TF_HTTP_PASSWORD"] = self.settings.bridge_token
        return env

    def _sandbox_endpoint(self) -> str | None:
        if self.catalog.providers[self.settings.provider].kind != "sandbox":
            return None
        endpoint = Sandbox().endpoints().get(self.settings.provider)
        if endpoint is None:
            raise JobFailure(
                "invalid", f"the sandbox provider {self.settings.provider} is not running"
            )
        return endpoint

    def _set_status(self, status: str, *, quiet: bool = False) -> None:
        try:
            self.fulcrum.set_status(status)  # type: ignore[arg-type]
        except FulcrumError as exc:
            if not quiet:
                raise
            self._log(f"status {status} not reported: {exc}")

    def _log(self, line: str) -> None:
        self.settings.log(line)


def _terraform_failure(exc: TerraformError) -> JobFailure:
    reason = "; ".join(str(d) for d in exc.diagnostics) or str(exc)
    if _LOCKED.search(reason):
        return JobFailure("locked", reason)
    if _QUOTA.search(reason):
        return JobFailure("quota", reason)
    return JobFailure("terraform", reason)


def _tf_vars(values: dict[str, str]) -> dict[str, str]:
    return {f"TF_VAR_{name}": value for name, value in values.items()}


def _properties(capability: str, outputs: dict[str, Any]) -> dict[str, Any]:
    """Agent-written properties: the interface outputs that are not inputs.

    A sensitive output goes only here: its service type property is a Fulcrum secret, so
    Fulcrum stores the value in its vault and the service keeps a vault:// reference.
    """
    interface = INTERFACES[capability]
    inputs = {i.name for i in interface.inputs}
    return {
        o.name: outputs[o.name]["value"]
        for o in interface.outputs
        if o.name not in inputs and o.name in outputs
    }


def _instance_id(outputs: dict[str, Any]) -> str | None:
    for name in ("id", "instance_id", "cluster_id", "network_id", "fqdn"):
        if name in outputs and not outputs[name].get("sensitive"):
            return str(outputs[name]["value"])
    return None


def _has_vault_ref(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith(VAULT_PREFIX)
    if isinstance(value, dict):
        return any(_has_vault_ref(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_vault_ref(v) for v in value)
    return False


def _resolve(value: Any, secret: Callable[[str], Any]) -> Any:
    if isinstance(value, str) and value.startswith(VAULT_PREFIX):
        return secret(value)
    if isinstance(value, dict):
        return {k: _resolve(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, secret) for v in value]
    return value


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
