"""Prometheus metrics of one bridge process: requests, latencies, lock waits, states, inventory size.

Counts that live in the database (stacks, versions, resources, locks) are read at scrape time,
so every replica reports the same totals. Must not import the web framework (it is plain ASGI).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from fedstack.bridge.store import store_counts
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine

__all__ = ["BridgeMetrics"]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Every label comes from a bounded set: anyone (no token needed) can send made-up methods and
# paths, and each new label value would be a new time series kept for the life of the process.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "LOCK", "UNLOCK"})
OTHER_METHOD = "other"
UNMATCHED_ROUTE = "unmatched"


def method_label(method: str) -> str:
    """The method as a label: a known HTTP or Terraform method, else `other`."""
    return method if method in _METHODS else OTHER_METHOD


def status_label(status: int) -> str:
    """The status code as a label (always a three-digit code the app itself chose)."""
    return str(status) if 100 <= status <= 599 else "other"


class _StoreCollector(Collector):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        figures = store_counts(self._engine)
        for name, value in figures.items():
            yield GaugeMetricFamily(
                f"fedstack_bridge_{name}",
                f"Number of {name.replace('_', ' ')} in the store",
                value=value,
            )


class BridgeMetrics:
    """The metrics registry of one app, and the ASGI middleware that fills it."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "fedstack_bridge_requests",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "fedstack_bridge_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
        )
        self.lock_conflicts = Counter(
            "fedstack_bridge_lock_conflicts",
            "Lock requests refused because another holder has the lock",
            registry=self.registry,
        )
        self.row_wait = Histogram(
            "fedstack_bridge_stack_row_wait_seconds",
            "Time a writer waited for its stack row (database lock wait)",
            buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30),
            registry=self.registry,
        )
        self.registry.register(_StoreCollector(engine))

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """Wrap an ASGI app so every HTTP request is counted and timed, by route template."""

        async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            status = {"code": 500}

            async def send_status(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    status["code"] = message["status"]
                await send(message)

            started = time.perf_counter()
            try:
                await app(scope, receive, send_status)
            finally:
                route = scope.get("route")
                # The route template, never the raw path: stack names must not explode the label set.
                label = getattr(route, "path", None) or UNMATCHED_ROUTE
                method = method_label(scope["method"])
                self.latency.labels(method, label).observe(time.perf_counter() - started)
                self.requests.labels(method, label, status_label(status["code"])).inc()

        return wrapped
