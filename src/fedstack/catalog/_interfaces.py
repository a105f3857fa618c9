"""The common interface of each capability: the inputs every module takes, the outputs it returns.

Every modules/<capability>/<provider>/ implements its capability's interface with the same names
and types; provider-specific inputs are optional extras. Pure data: no I/O, no Terraform.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["INTERFACES", "Input", "Interface", "Output"]


@dataclass(frozen=True)
class Input:
    """One common input: its Terraform type and whether the caller must set it."""

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class Output:
    """One common output: its Terraform type and whether Terraform must hide its value."""

    name: str
    type: str
    description: str
    sensitive: bool = False


@dataclass(frozen=True)
class Interface:
    """The common inputs and outputs of one capability."""

    capability: str
    inputs: tuple[Input, ...]
    outputs: tuple[Output, ...]

    def input(self, name: str) -> Input | None:
        """The common input called `name`, if there is one."""
        return next((i for i in self.inputs if i.name == name), None)

    def output(self, name: str) -> Output | None:
        """The common output called `name`, if there is one."""
        return next((o for o in self.outputs if o.name == name), None)


def _in(name: str, type_: str, description: str, *, required: bool = True) -> Input:
    return Input(name, type_, required, description)


_LABELS = _in(
    "labels", "map(string)", "labels applied to every resource that takes them", required=False
)
_LOCATION = _in("location", "string", "catalog region (a key of the provider's regions)")

INTERFACES: dict[str, Interface] = {
    "object_storage": Interface(
        "object_storage",
        (
            _in("name", "string", "bucket name"),
            _LOCATION,
            _in("versioning", "bool", "keep every version of every object", required=False),
            _LABELS,
            _in(
                "force_destroy",
                "bool",
                "allow destroying a bucket that holds objects",
                required=False,
            ),
        ),
        (
            Output("bucket_name", "string", "name of the bucket"),
            Output("endpoint", "string", "S3 endpoint URL of the bucket"),
            Output("location", "string", "catalog region of the bucket"),
            Output("id", "string", "provider identifier of the bucket"),
        ),
    ),
    "network": Interface(
        "network",
        (
            _in("name", "string", "network name"),
            _in("cidr", "string", "IPv4 range in CIDR notation"),
            _LOCATION,
            _LABELS,
        ),
        (
            Output(
                "network_id", "string", "network identifier, the input of compute and kubernetes"
            ),
            Output("subnet_id", "string", "subnet identifier"),
            Output("cidr", "string", "IPv4 range in CIDR notation"),
        ),
    ),
    "compute": Interface(
        "compute",
        (
            _in("name", "string", "instance name"),
            _in("size", "string", "size class xs, s, m, l or xl (catalog sizes)"),
            _in("image", "string", "operating system name such as debian-12 (catalog images)"),
            _LOCATION,
            _in("network_id", "string", "network to attach to (network module's network_id)"),
            _in("ssh_public_key", "string", "OpenSSH public key; empty for none", required=False),
            _in("user_data", "string", "cloud-init user data; empty for none", required=False),
            _LABELS,
        ),
        (
            Output("instance_id", "string", "provider identifier of the instance"),
            Output("private_ip", "string", "private IPv4 address in the network"),
            Output("public_ip", "string", "public IPv4 address; empty when none"),
        ),
    ),
    "kubernetes": Interface(
        "kubernetes",
        (
            _in("name", "string", "cluster name"),
            _in("kubernetes_version", "string", "Kubernetes minor version such as 1.31"),
            _LOCATION,
            _in("node_size", "string", "size class of the nodes, xs to xl (catalog sizes)"),
            _in("node_count", "number", "number of nodes in the default pool", required=False),
            _in(
                "network_id",
                "string",
                "network for the nodes; null where the provider needs none",
                required=False,
            ),
            _LABELS,
        ),
        (
            Output("cluster_id", "string", "provider identifier of the cluster"),
            Output("api_endpoint", "string", "URL of the Kubernetes API server"),
            Output("kubeconfig", "string", "kubeconfig file of the cluster", sensitive=True),
        ),
    ),
    "dns_record": Interface(
        "dns_record",
        (
            _in("zone", "string", "existing DNS zone such as example.eu"),
            _in("name", "string", "record name relative to the zone; empty for the apex"),
            _in("type", "string", "record type such as A, AAAA, CNAME, TXT"),
            _in("ttl", "number", "time to live in seconds", required=False),
            _in("records", "list(string)", "values of the record set"),
        ),
        (Output("fqdn", "string", "fully qualified name without the trailing dot"),),
    ),
}
"""Capability name -> its common interface (the same keys as CAPABILITIES)."""
