"""One `fedstack unmanaged` run: per provider, enumerate, match to the inventory, apply rules.

A provider without credentials is skipped with a line saying so; a provider whose API fails is
an error of that provider only, and the others are still reported.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fedstack.client import BridgeClient
from fedstack.catalog import Catalog, Provider
from fedstack.sandbox import Sandbox, credentials_for

import fedstack
from fedstack.unmanaged._coverage import Coverage, coverage_for
from fedstack.unmanaged._enumerate import Endpoint, ProviderFailure, Seen, enumerate_provider
from fedstack.unmanaged._ignore import apply_rules, load_rules
from fedstack.unmanaged._imports import import_block
from fedstack.unmanaged._match import Managed, managed_resources
from fedstack.unmanaged._model import Finding, ProviderOutcome, Scope, UnmanagedReport

__all__ = ["UnmanagedOptions", "find_unmanaged"]

_TYPES_OF_KIND = {
    "compute": "aws_instance",
    "network": "aws_vpc",
    "dns_record": "aws_route53_record",
}


@dataclass(frozen=True)
class UnmanagedOptions:
    """What to enumerate, where the inventory is, and the environment holding credentials."""

    bridge: BridgeClient
    kinds: Sequence[str]
    providers: Sequence[str] = ()
    """Catalog provider names; empty means every provider."""
    regions: Sequence[str] = ()
    """Catalog region names; empty means every region."""
    ignore_file: Path | None = None
    environ: Mapping[str, str] = field(default_factory=dict)
    home: Path | None = None
    """FEDSTACK_HOME, where the sandbox records its servers."""
    progress: Callable[[str], None] = lambda _line: None


def find_unmanaged(catalog: Catalog, options: UnmanagedOptions) -> UnmanagedReport:
    """Enumerate every selected provider and report what the bridge's inventory does not hold."""
    started = dt.datetime.now(dt.UTC)
    rules = load_rules(options.ignore_file) if options.ignore_file else []
    names = list(options.providers) or list(catalog.providers)
    for name in names:
        catalog.provider(name)  # an unknown name is a CatalogError before any API call
    managed = managed_resources(options.bridge, _inventory_types(catalog, names, options.kinds))
    outcomes: list[ProviderOutcome] = []
    findings: list[Finding] = []
    for name in names:
        outcome, found = _one_provider(catalog, name, options, managed)
        options.progress(_line(outcome, found))
        outcomes.append(outcome)
        findings += found
    findings, expired = apply_rules(findings, rules, started.date())
    return UnmanagedReport(
        run_id=f"unmanaged-{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}",
        started_at=started,
        finished_at=dt.datetime.now(dt.UTC),
        fedstack_version=fedstack.__version__,
        providers=outcomes,
        findings=sorted(findings, key=lambda f: f.address),
        expired_rules=expired,
    )


def _inventory_types(catalog: Catalog, names: Sequence[str], kinds: Sequence[str]) -> set[str]:
    types = {_TYPES_OF_KIND[k] for k in kinds if k in _TYPES_OF_KIND}
    if "object_storage" in kinds:
        types |= {coverage_for(catalog, n).bucket_type for n in names} - {""}
    return types


def _one_provider(
    catalog: Catalog, name: str, options: UnmanagedOptions, managed: Managed
) -> tuple[ProviderOutcome, list[Finding]]:
    provider = catalog.provider(name)
    cover = coverage_for(catalog, name)
    kinds = [k for k in options.kinds if k in cover.kinds]
    missing = [k for k in options.kinds if k not in cover.kinds]
    regions = [r for r in provider.regions if not options.regions or r in options.regions]

    def skipped(message: str) -> tuple[ProviderOutcome, list[Finding]]:
        return ProviderOutcome(
            provider=name, status="skipped", message=message, not_covered=missing
        ), []

    if not kinds:
        return skipped(f"fedstack cannot enumerate {', '.join(options.kinds)} here yet")
    if not regions:
        return skipped(f"none of the regions {', '.join(options.regions)} is at {name}")
    endpoint = _endpoint(catalog, name, provider, cover, regions, options)
    if isinstance(endpoint, str):
        return skipped(endpoint)
    try:
        seen, scopes = enumerate_provider(provider, regions, kinds, endpoint, cover.bucket_type)
    except ProviderFailure as exc:
        return ProviderOutcome(
            provider=name, status="error", message=str(exc), not_covered=missing
        ), []
    found = [
        _finding(name, provider, s) for s in seen if not managed.manages(name, s.kind, s.identifier)
    ]
    outcome = ProviderOutcome(
        provider=name,
        status="checked",
        message=f"{len(seen)} listed, {len(found)} not in any stack",
        scopes=[Scope(provider=name, region=r, kind=k) for r, k in scopes],  # type: ignore[arg-type]
        not_covered=missing,
    )
    return outcome, found


def _endpoint(
    catalog: Catalog,
    name: str,
    provider: Provider,
    cover: Coverage,
    regions: Sequence[str],
    options: UnmanagedOptions,
) -> Endpoint | str:
    """Where to reach the provider with which keys, or why it is skipped."""
    if provider.kind == "sandbox":
        recorded = {s.server.provider: s.server for s in Sandbox(options.home).status()}
        server = recorded.get(name)
        if server is None:
            return f"no sandbox server recorded for {name}: run `fedstack sandbox up`"
        keys = credentials_for(catalog, name)
        return Endpoint(
            access_key=keys["AWS_ACCESS_KEY_ID"],
            secret_key=keys["AWS_SECRET_ACCESS_KEY"],
            s3={r: server.endpoint for r in regions},
            api=server.endpoint,
        )
    pair = cover.credentials(options.environ)
    if pair is None:
        return f"no credentials: set {cover.access_key_env} and {cover.secret_key_env}"
    s3 = {r: url for r in regions if (url := provider.s3_endpoint_for(r))}
    return Endpoint(access_key=pair[0], secret_key=pair[1], s3=s3)


def _finding(name: str, provider: Provider, seen: Seen) -> Finding:
    region = provider.regions.get(seen.region)
    return Finding(
        provider=name,
        region=seen.region,
        country=region.country if region else None,
        kind=seen.kind,  # type: ignore[arg-type]
        resource_type=seen.resource_type,
        identifier=seen.identifier,
        import_id=seen.import_id,
        address=f"{name}/{seen.region}/{seen.resource_type}/{seen.identifier}",
        import_block=import_block(seen, name, seen.region),
    )


def _line(outcome: ProviderOutcome, found: list[Finding]) -> str:
    if outcome.status == "checked":
        regions = sorted({s.region for s in outcome.scopes})
        return f"{outcome.provider}: checked {', '.join(regions)}: {outcome.message}"
    return f"{outcome.provider}: {outcome.status}: {outcome.message}"
