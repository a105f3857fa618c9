"""Helpers for the drift-run tests: reports built from the drift engine's own models, a webhook receiver."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from http_helpers import loopback_server
from typing import Any

from fedstack.drift.schema import (
    AttributeChange,
    DriftReport,
    ResourceDrift,
    StackResult,
    Summary,
)

import fedstack

BUCKET = "module.bucket.aws_s3_bucket.this"
VM = "aws_instance.vm"


def drifted(address: str, *changes: AttributeChange, kind: str = "update") -> ResourceDrift:
    """A drifted resource at sandbox-fr/fr-par, as the engine reports one."""
    type_, name = address.split(".")[-2:]
    return ResourceDrift(
        address=address,
        type=type_,
        name=name,
        module="module.bucket" if address.startswith("module.") else None,
        terraform_provider="registry.terraform.io/hashicorp/aws",
        kind=kind,  # type: ignore[arg-type]
        provider="sandbox-fr",
        region="fr-par",
        country="FR",
        changes=list(changes)
        or [AttributeChange(path="tags.owner", before="alice", after="mallory")],
    )


def stack(name: str, *drift: ResourceDrift, error: str | None = None) -> StackResult:
    """A checked stack: drifted when `drift` is given, errored when `error` is, else in sync."""
    status = "error" if error else ("drift" if drift else "in_sync")
    return StackResult(
        name=name,
        path=f"stacks/{name}",
        file=f"stacks/{name}/main.tf",
        source="folder",
        provider="sandbox-fr",
        region="fr-par",
        country="FR",
        status=status,  # type: ignore[arg-type]
        error=error,
        duration_seconds=1.5,
        resources_checked=[] if error else [BUCKET, VM],
        drift=list(drift),
    )


def report(*stacks: StackResult) -> DriftReport:
    """A whole run over `stacks`, with a fresh run_id and a consistent summary."""
    now = dt.datetime.now(dt.UTC)
    errored = sum(1 for s in stacks if s.status == "error")
    drifted_stacks = sum(1 for s in stacks if s.status == "drift")
    resources = [r for s in stacks for r in s.drift]
    return DriftReport(
        run_id=str(uuid.uuid4()),
        started_at=now - dt.timedelta(seconds=5),
        finished_at=now,
        fedstack_version=fedstack.__version__,
        terraform_version="1.11.4",
        exit_code=1 if errored else (2 if drifted_stacks else 0),
        summary=Summary(
            stacks=len(stacks),
            in_sync=len(stacks) - errored - drifted_stacks,
            drifted=drifted_stacks,
            errored=errored,
            resources_drifted=sum(1 for r in resources if not r.ignored),
            resources_ignored=sum(1 for r in resources if r.ignored),
        ),
        stacks=list(stacks),
    )


@dataclass
class WebhookReceiver:
    """A loopback HTTP server recording webhook bodies; `status` is what it answers."""

    url: str = ""
    bodies: list[dict[str, Any]] = field(default_factory=list)
    status: int = 204
    lock: threading.Lock = field(default_factory=threading.Lock)

    def for_project(self, project: str) -> list[dict[str, Any]]:
        """The bodies about one project, in arrival order."""
        with self.lock:
            return [b for b in self.bodies if b.get("project") == project]


@contextlib.contextmanager
def webhook_receiver(status: int = 204) -> Iterator[WebhookReceiver]:
    """Serve a WebhookReceiver on 127.0.0.1 for the length of the block."""
    receiver = WebhookReceiver(status=status)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with receiver.lock:
                receiver.bodies.append(json.loads(body))
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with loopback_server(Handler) as url:
        receiver.url = f"{url}/hooks/drift"
        yield receiver
