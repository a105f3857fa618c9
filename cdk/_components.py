"""The components a workload asks for; each is placed, then enters its stack as a module.

Every component is a TerraformHclModule of `modules/<capability>/<provider>/` (absolute
source, so `terraform init` works from `cdktf.out/stacks/<stack>/` whoever ran the synth),
with the labels fedstack:workload, fedstack:stack and fedstack:component.

Inputs come from two places, both checked at construction: the capability's common interface
(`fedstack.catalog.INTERFACES`, set through each component's typed arguments) and
`extra_inputs=`, the provider-specific inputs of the module it was placed on (STACKIT's
`project_id`), checked against the module's own `variables.tf`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, TypedDict, Unpack

from fedstack.cdk._lib import TerraformHclModule
from fedstack.cdk._model import Placement, check_name
from fedstack.cdk._stack import FederatedStack
from fedstack.cdk._workload import Workload

from fedstack.catalog import INTERFACES, read_module
from fedstack import config
from fedstack.errors import FedstackError, SandboxError
from fedstack.placement import ComponentRequest, Decision, Requirements

__all__ = [
    "Component",
    "Compute",
    "DnsRecord",
    "KubernetesCluster",
    "Network",
    "ObjectStore",
    "PlacementArgs",
]


class PlacementArgs(TypedDict, total=False):
    """Where a component may go: the keyword arguments every component accepts."""

    countries: Iterable[str] | None
    prefer: Sequence[str]
    avoid: Sequence[str]
    not_with: Iterable[Component | str]
    provider: str | None
    region: str | None


class Component(TerraformHclModule):
    """Base of the components: placement, stack, module and labels."""

    capability: ClassVar[str]
    component_name: str

    def __init__(
        self,
        workload: Workload,
        id: str,
        *,
        requirements: Requirements,
        with_component: Component | None = None,
        labels: Mapping[str, str] | None = None,
        extra_inputs: Mapping[str, Any] | None = None,
    ) -> None:
        check_name("component", id)
        request = ComponentRequest(
            id,
            self.capability,
            requirements,
            with_component.component_name if with_component is not None else None,
        )
        decision: Decision = workload.place(request)
        assert decision.provider is not None and decision.region is not None
        stack = workload.stack_for(decision.provider, decision.region)
        catalog = workload.federated_app.catalog
        self.component_name = id
        self.decision = decision
        self.placement = Placement(decision.provider, decision.region, decision.country or "")
        self.federated_stack: FederatedStack = stack
        self.labels = {
            **workload.labels,
            **(labels or {}),
            "fedstack:workload": workload.workload_name,
            "fedstack:stack": stack.stack_name,
            "fedstack:component": id,
        }
        self.resource_name = f"{workload.workload_name}-{id}"
        self.module_dir = catalog.module_path(decision.provider, self.capability)
        variables = self._checked_inputs(dict(extra_inputs or {}))
        stack.require_providers(self.module_dir)
        super().__init__(
            stack,
            id,
            source=str(self.module_dir),
            variables=_plain(variables),
            # A module that looks its peer up (an instance finding its network's subnet) must
            # wait for the whole peer, not only for the outputs it passes on.
            depends_on=[with_component] if with_component is not None else None,
        )

    def inputs(self) -> dict[str, Any]:
        """The common inputs (names from the capability's interface) plus fedstack's own extras."""
        raise NotImplementedError

    def _checked_inputs(self, extra: dict[str, Any]) -> dict[str, Any]:
        """Common inputs checked against the interface, extras against the module's variables."""
        kind = f"{type(self).__name__} {self.component_name!r}"
        interface = INTERFACES[self.capability]
        common = {i.name for i in interface.inputs}
        inputs = self.inputs()
        missing = sorted(i.name for i in interface.inputs if i.required and i.name not in inputs)
        if missing:
            raise FedstackError(f"{kind}: missing common input(s) {', '.join(missing)}")
        declared = read_module(self.module_dir).variables
        shown = self.module_dir.relative_to(self.module_dir.parents[1]).as_posix()
        undeclared = sorted(n for n in inputs if n not in declared)
        if undeclared:
            raise FedstackError(f"{kind}: module {shown} has no input(s) {', '.join(undeclared)}")
        own = sorted(n for n in declared if n not in common and n not in inputs)
        for name in sorted(extra):
            if name in common:
                raise FedstackError(
                    f"{kind}: {name!r} is a common input of {self.capability}; set it through "
                    f"the component's own argument, not extra_inputs"
                )
            if name not in declared:
                raise FedstackError(
                    f"{kind}: module {shown} has no input {name!r}; its provider-specific "
                    f"inputs are {', '.join(own) or 'none'}"
                )
        inputs.update(extra)
        return inputs


def requirements(
    *,
    size: str | None = None,
    image: str | None = None,
    countries: Iterable[str] | None = None,
    prefer: Sequence[str] = (),
    avoid: Sequence[str] = (),
    not_with: Iterable[Component | str] = (),
    provider: str | None = None,
    region: str | None = None,
) -> Requirements:
    """Requirements from the keyword arguments every component accepts."""
    return Requirements(
        size=size,
        image=image,
        countries=tuple(c.upper() for c in countries) if countries is not None else None,
        prefer=tuple(prefer),
        avoid=tuple(avoid),
        not_with=tuple(c if isinstance(c, str) else c.component_name for c in not_with),
        provider=provider,
        region=region,
    )


class ObjectStore(Component):
    """An object storage bucket."""

    capability = "object_storage"

    def __init__(
        self,
        workload: Workload,
        id: str,
        *,
        bucket_name: str | None = None,
        versioning: bool = False,
        force_destroy: bool = False,
        labels: Mapping[str, str] | None = None,
        extra_inputs: Mapping[str, Any] | None = None,
        **placement: Unpack[PlacementArgs],
    ) -> None:
        self._bucket = bucket_name
        self._versioning = versioning
        self._force_destroy = force_destroy
        self._workload = workload
        super().__init__(
            workload,
            id,
            requirements=requirements(**placement),
            labels=labels,
            extra_inputs=extra_inputs,
        )

    def inputs(self) -> dict[str, Any]:
        inputs: dict[str, Any] = {
            "name": self._bucket or self.resource_name,
            "location": self.placement.region,
            "versioning": self._versioning,
            "labels": self.labels,
            "force_destroy": self._force_destroy,
        }
        app = self._workload.federated_app
        if app.catalog.provider(self.placement.provider).kind == "sandbox":
            endpoint = app.endpoints.get(self.placement.provider)
            if endpoint is None:
                raise SandboxError(
                    f"{self.placement.provider} is not running (no sandbox under FEDSTACK_HOME="
                    f"{config.home()}): run `fedstack sandbox up` first"
                )
            inputs["endpoint"] = endpoint
        return inputs

    @property
    def bucket_name(self) -> str:
        """The bucket's name (a token until apply)."""
        return self.get_string("bucket_name")

    @property
    def endpoint(self) -> str:
        """The S3 endpoint of the bucket's provider."""
        return self.get_string("endpoint")


class Network(Component):
    """A private network (VPC and subnet) that compute and Kubernetes attach to."""

    capability = "network"

    def __init__(
        self,
        workload: Workload,
        id: str,
        *,
        cidr: str = "10.20.0.0/16",
        labels: Mapping[str, str] | None = None,
        extra_inputs: Mapping[str, Any] | None = None,
        **placement: Unpack[PlacementArgs],
    ) -> None:
        self._cidr = cidr
        super().__init__(
            workload,
            id,
            requirements=requirements(**placement),
            labels=labels,
            extra_inputs=extra_inputs,
        )

    def inputs(self) -> dict[str, Any]:
        return {
            "name": self.resource_name,
            "cidr": self._cidr,
            "location": self.placement.region,
            "labels": self.labels,
        }

    @property
    def network_id(self) -> str:
        """The network's provider identifier."""
        return self.get_string("network_id")

    @property
    def subnet_id(self) -> str:
        """The identifier of the subnet instances attach to."""
        return self.get_string("subnet_id")


class Compute(Component):
    """A virtual machine, in the same provider and region as its network."""

    capability = "compute"

    def __init__(
        self,
        workload: Workload,
        id: str,
        *,
        network: Network,
        size: str = "s",
        image: str = "debian-12",
        ssh_public_key: str = "",
        user_data: str = "",
        labels: Mapping[str, str] | None = None,
        extra_inputs: Mapping[str, Any] | None = None,
        **placement: Unpack[PlacementArgs],
    ) -> None:
        self._network = network
        self._size = size
        self._image = image
        self._ssh = ssh_public_key
        self._user_data = user_data
        super().__init__(
            workload,
            id,
            requirements=requirements(size=size, image=image, **placement),
            with_component=network,
            labels=labels,
            extra_inputs=extra_inputs,
        )

    def inputs(self) -> dict[str, Any]:
        return {
            "name": self.resource_name,
            "size": self._size,
            "image": self._image,
            "location": self.placement.region,
            "network_id": self._network.network_id,
            "ssh_public_key": self._ssh,
            "user_data": self._user_data,
            "labels": self.labels,
        }

    @property
    def public_ip(self) -> str:
        """The instance's public IPv4 address (a token; a cross-stack reference elsewhere)."""
        return self.get_string("public_ip")

    @property
    def private_ip(self) -> str:
        """The instance's private IPv4 address."""
        return self.get_string("private_ip")

    @property
    def instance_id(self) -> str:
        """The instance's provider identifier."""
        return self.get_string("instance_id")


class KubernetesCluster(Component):
    """A managed Kubernetes cluster, in the same provider and region as its network."""

    capability = "kubernetes"

    def __init__(
        self,
        workload: Workload,
        id: str,
        *,
        network: Network,
        kubernetes_version: str = "1.31",
        node_size: str = "m",
        node_count: int = 3,
        labels: Mapping[str, str] | None = None,
        extra_inputs: Mapping[str, Any] | None = None,
        **placement: Unpack[PlacementArgs],
    ) -> None:
        self._network = network
        self._version = kubernetes_version
        self._node_size = node_size
        self._node_count = node_count
        super().__init__(
            workload,
            id,
            requirements=requirements(size=node_size, **placement),
            with_component=network,
            labels=labels,
            extra_inputs=extra_inputs,
        )

    def inputs(self) -> dict[str, Any]:
        return {
            "name": self.resource_name,
            "kubernetes_version": self._version,
            "location": self.placement.region,
            "node_size": self._node_size,
            "node_count": self._node_count,
            "network_id": self._network.network_id,
            "labels": self.labels,
        }

    @property
    def api_endpoint(self) -> str:
        """The cluster's API server URL."""
        return self.get_string("api_endpoint")


class DnsRecord(Component):
    """A DNS record set in an existing zone; `target` points it at a Compute anywhere.

    A target at another provider becomes a CDKTF cross-stack reference (remote state).
    """

    capability = "dns_record"

    def __init__(
        self,
        workload: Workload,
        id: str,
        *,
        zone: str,
        name: str,
        type: str = "A",
        ttl: int = 300,
        records: Sequence[str] | None = None,
        target: Compute | None = None,
        extra_inputs: Mapping[str, Any] | None = None,
        **placement: Unpack[PlacementArgs],
    ) -> None:
        if (records is None) == (target is None):
            raise FedstackError(f"DnsRecord {id!r}: give exactly one of records= or target=")
        self._zone = zone
        self._name = name
        self._type = type
        self._ttl = ttl
        self._records = list(records) if records is not None else None
        self._target = target
        super().__init__(
            workload, id, requirements=requirements(**placement), extra_inputs=extra_inputs
        )

    def inputs(self) -> dict[str, Any]:
        records = self._records if self._records is not None else [self._target.public_ip]  # type: ignore[union-attr]
        return {
            "zone": self._zone,
            "name": self._name,
            "type": self._type,
            "ttl": self._ttl,
            "records": records,
        }

    @property
    def fqdn(self) -> str:
        """The record's fully qualified name."""
        return self.get_string("fqdn")


def _plain(value: Any) -> Any:
    """Copy into plain dicts and lists (jsii marshals them as JSON objects and arrays)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
