"""Where a planned resource lives: its catalog provider and region, and how we know (or why not).

The provider comes from the resource's Terraform provider (matched to the catalog's
`terraform_provider`) and, for the S3-compatible use of hashicorp/aws, from the endpoint it
talks to (a catalog `s3_endpoint` template or a recorded sandbox server). The region comes
from the resource's `region`/`location`/`zone`/`region_name` argument (region_name: OVHcloud's
storage and network resources), else the provider configuration's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fedstack.catalog import Catalog, Provider
from fedstack.contracts import match_region
from fedstack.policy._plan import Plan, PlannedResource, ProviderConfig

__all__ = [
    "UTILITY_PROVIDERS",
    "ResourcePlacement",
    "Skipped",
    "capability_of",
    "resolve_plan",
]

LOCATION_ARGUMENTS = ("region", "location", "zone", "region_name")
"""Resource and provider arguments that name where a resource lives, in order of preference."""

UTILITY_PROVIDERS = frozenset(
    {
        "hashicorp/random",
        "hashicorp/null",
        "hashicorp/local",
        "hashicorp/tls",
        "hashicorp/time",
        "hashicorp/archive",
        "hashicorp/external",
        "hashicorp/http",
        "hashicorp/cloudinit",
        "builtin/terraform",
    }
)
"""Providers whose resources hold no data anywhere: they are listed as skipped, not checked."""

_AWS = "hashicorp/aws"
# The provider argument that names the endpoint of a Terraform provider used by several clouds.
_VIA_ARGUMENTS = {
    "terraform-provider-openstack/openstack": "auth_url",
    "hashicorp/google": "universe_domain",
}
# Resource types that hold object storage: their region is a storage region, which at some
# providers is not a compute region (IONOS, UpCloud), so it is looked up in that set.
_OBJECT_STORAGE_TYPES = (
    "aws_s3_",
    "ionoscloud_s3_",
    "scaleway_object",
    "ovh_cloud_project_storage",
    "upcloud_managed_object_storage",
    "stackit_objectstorage_",
    "opentelekomcloud_obs_",
    "opentelekomcloud_s3_",
    "exoscale_sos_",
    "outscale_oos_",
)


def capability_of(resource_type: str) -> str | None:
    """The capability whose region set a resource type's location names (None: the provider's)."""
    return "object_storage" if resource_type.startswith(_OBJECT_STORAGE_TYPES) else None


# Which endpoint an aws resource talks to, by resource type prefix.
_AWS_SERVICES = (("aws_s3", "s3"), ("aws_route53", "route53"), ("aws_iam", "iam"))


@dataclass(frozen=True)
class ResourcePlacement:
    """A resource and where it lives; provider/region are None when they could not be resolved."""

    address: str
    type: str
    provider: str | None
    region: str | None
    resolution: str
    unresolved: str | None = None
    capability: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A resource that holds no data anywhere (random, null, ...), left out of the check."""

    address: str
    type: str
    reason: str


def resolve_plan(
    plan: Plan, catalog: Catalog, sandbox_endpoints: Mapping[str, str] | None = None
) -> tuple[list[ResourcePlacement], list[Skipped]]:
    """Resolve every managed resource of the plan; `sandbox_endpoints` maps URL -> provider."""
    endpoints = {_norm(url): name for url, name in (sandbox_endpoints or {}).items()}
    placed: list[ResourcePlacement] = []
    skipped: list[Skipped] = []
    kept: list[PlannedResource] = []
    for resource in plan.resources:
        source = provider_source(resource.source)
        if source in UTILITY_PROVIDERS:
            skipped.append(Skipped(resource.address, resource.type, f"{source} holds no data"))
            continue
        kept.append(resource)
        placed.append(_Resolver(catalog, endpoints, plan.provider_for(resource)).resolve(resource))
    return _inherit(kept, placed), skipped


def _inherit(
    resources: list[PlannedResource], placed: list[ResourcePlacement]
) -> list[ResourcePlacement]:
    """A resource with no location of its own (a server in a data center) lives where the
    resources it references live, when they all resolved to one provider and region."""
    where: dict[str, set[tuple[str | None, str | None]]] = {}
    for resource, place in zip(resources, placed, strict=True):
        if place.unresolved is None:
            where.setdefault(resource.config_address, set()).add((place.provider, place.region))
    result = []
    for resource, place in zip(resources, placed, strict=True):
        sources = [ref for ref in resource.references if ref in where]
        spots = {spot for ref in sources for spot in where[ref]}
        if place.unresolved is not None and place.region is None and len(spots) == 1:
            provider, region = next(iter(spots))
            # Only within one provider: a resource of another cloud does not live there.
            if place.provider is not None and place.provider == provider:
                place = ResourcePlacement(
                    place.address,
                    place.type,
                    provider,
                    region,
                    f"no location of its own; references {', '.join(sources)} in "
                    f"{provider}/{region}",
                    capability=capability_of(resource.type),
                )
        result.append(place)
    return result


def provider_source(full_name: str) -> str:
    """`namespace/type` of a provider address, without the registry host."""
    parts = full_name.strip("/").split("/")
    return "/".join(parts[-2:]).lower()


def _norm(url: str) -> str:
    return _shown(url).rstrip("/").lower()


def _shown(url: str) -> str:
    """The URL without user:password@, so reports never carry credentials put in an endpoint."""
    return re.sub(r"^([a-z][a-z0-9+.-]*://)[^/@]*@", r"\1", url.strip(), flags=re.IGNORECASE)


@dataclass
class _Resolver:
    catalog: Catalog
    endpoints: dict[str, str]
    config: ProviderConfig | None

    def resolve(self, resource: PlannedResource) -> ResourcePlacement:
        source = provider_source(resource.source)
        if source == _AWS:
            endpoint = self._endpoint(resource)
            if endpoint is not None:
                return self._by_endpoint(resource, endpoint)
        reached = self._reached_via(resource, source)
        if reached is not None:
            return reached
        candidates = [
            name
            for name, p in self.catalog.providers.items()
            if provider_source(p.terraform_provider) == source
            and not (source == _AWS and (p.kind == "sandbox" or p.s3_endpoint))
        ]
        if not candidates:
            why = (
                "hashicorp/aws without a custom endpoint talks to Amazon Web Services, "
                "which the catalog does not list"
                if source == _AWS
                else f"no catalog provider uses the Terraform provider {source}"
            )
            return self._unresolved(resource, None, why)
        if len(candidates) > 1:
            return self._unresolved(
                resource, None, f"{source} is used by several catalog providers: {candidates}"
            )
        return self._by_location(resource, candidates[0], f"Terraform provider {source}")

    def _reached_via(self, resource: PlannedResource, source: str) -> ResourcePlacement | None:
        """A resource of another Terraform provider (OpenStack at OVHcloud), told apart by the
        endpoint its provider configuration names; None when no catalog provider claims it."""
        claims = {
            name: prefix
            for name, p in self.catalog.providers.items()
            for via, prefix in p.via.items()
            if provider_source(via) == source
        }
        if not claims:
            return None
        argument = _VIA_ARGUMENTS.get(source, "auth_url")
        value = self.config.value(argument) if self.config is not None else None
        if not isinstance(value, str) or not value:
            return self._unresolved(
                resource,
                None,
                f"{source} is how {', '.join(sorted(claims))} can be reached, but its provider "
                f"configuration sets no {argument} to tell which",
            )
        matched = [
            n
            for n, prefix in claims.items()
            if _norm(value).startswith(_norm(prefix)) or _norm(value) == _norm(prefix)
        ]
        if len(matched) != 1:
            return self._unresolved(
                resource,
                None,
                f"{source} {argument} {_shown(value)} matches no single catalog provider "
                f"(known: {', '.join(f'{n} {claims[n]}' for n in sorted(claims))})",
            )
        return self._by_location(resource, matched[0], f"{source} with {argument} {_shown(value)}")

    def _endpoint(self, resource: PlannedResource) -> str | None:
        if self.config is None:
            return None
        endpoints = self.config.endpoints()
        service = next(
            (s for prefix, s in _AWS_SERVICES if resource.type.startswith(prefix)), "ec2"
        )
        if service in endpoints:
            return endpoints[service]
        # One host for every service (the sandbox's case): any resource type talks to it.
        hosts = {_norm(url) for url in endpoints.values()}
        return next(iter(hosts)) if len(hosts) == 1 else None

    def _by_endpoint(self, resource: PlannedResource, endpoint: str) -> ResourcePlacement:
        name = self.endpoints.get(_norm(endpoint))
        if name is not None and name in self.catalog.providers:
            return self._by_location(resource, name, f"sandbox endpoint {_shown(endpoint)}")
        capability = capability_of(resource.type)
        for name, provider in self.catalog.providers.items():
            own = _region_from_own_endpoint(provider, endpoint)
            if own is not None:
                return ResourcePlacement(
                    resource.address,
                    resource.type,
                    name,
                    own,
                    f"S3 endpoint {_shown(endpoint)} is {name}'s endpoint of region {own}",
                    capability=capability,
                )
            api_name = _region_from_template(provider, endpoint)
            if api_name is not None:
                region = match_region(provider, api_name, capability) or api_name
                return ResourcePlacement(
                    resource.address,
                    resource.type,
                    name,
                    region,
                    f"S3 endpoint {_shown(endpoint)} matches {name}'s template {provider.s3_endpoint}"
                    f" -> {region}",
                    capability=capability,
                )
        return self._unresolved(
            resource,
            None,
            f"endpoint {_shown(endpoint)} matches no catalog s3_endpoint and no recorded sandbox "
            "server",
        )

    def _by_location(self, resource: PlannedResource, name: str, how: str) -> ResourcePlacement:
        provider = self.catalog.providers[name]
        value, where = self._location_value(resource)
        if value is None:
            return self._unresolved(
                resource,
                name,
                f"{how} -> {name}, but neither the resource nor its provider configuration "
                f"sets {'/'.join(LOCATION_ARGUMENTS)}",
            )
        capability = capability_of(resource.type)
        region = match_region(provider, value, capability)
        if region is None:
            # Keep the raw value: processing-location-declared fails it, location rules say unknown.
            return ResourcePlacement(
                resource.address,
                resource.type,
                name,
                value,
                f"{how} -> {name}; {where}={value!r}",
                capability=capability,
            )
        return ResourcePlacement(
            resource.address,
            resource.type,
            name,
            region,
            f"{how} -> {name}; {where}={value!r} -> {region}",
            capability=capability,
        )

    def _location_value(self, resource: PlannedResource) -> tuple[str | None, str]:
        for argument in LOCATION_ARGUMENTS:
            value = resource.argument(argument)
            if value is not None:
                return value, f"resource {argument}"
        if self.config is not None:
            for argument in LOCATION_ARGUMENTS:
                value = self.config.value(argument)
                if isinstance(value, str) and value:
                    return value, f"provider {self.config.key} {argument}"
        return None, ""

    def _unresolved(
        self, resource: PlannedResource, provider: str | None, why: str
    ) -> ResourcePlacement:
        return ResourcePlacement(resource.address, resource.type, provider, None, "", why)


def _region_from_own_endpoint(provider: Provider, endpoint: str) -> str | None:
    """The region whose own `s3_endpoint` is `endpoint` (regions that the template misses)."""
    entry = provider.capabilities.get("object_storage")
    regions = {**provider.regions, **((entry.own_regions if entry else None) or {})}
    for name, region in regions.items():
        if region.s3_endpoint and _norm(region.s3_endpoint) == _norm(endpoint):
            return name
    return None


def _region_from_template(provider: Provider, endpoint: str) -> str | None:
    """The region API name ({region}) or catalog name ({name}) the endpoint fills in."""
    template = provider.s3_endpoint or ""
    placeholder = next((p for p in ("{region}", "{name}") if p in template), None)
    if placeholder is None:
        return None
    before, _, after = template.partition(placeholder)
    pattern = re.escape(_norm(before)) + r"(?P<region>[a-z0-9-]+)" + re.escape(_norm(after)) + "$"
    found = re.match(pattern, _norm(endpoint))
    return found.group("region") if found else None
