"""What `fedstack unmanaged` can enumerate at each catalog provider, and with which credentials.

Credentials are the environment variables the provider's Terraform provider reads (so the same
shell that runs `terraform plan` can run `fedstack unmanaged`); sandbox providers use the
sandbox's dummy keys (fedstack.sandbox.credentials_for). Values are read, never logged.
Pure data: must not import boto3.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fedstack.catalog import Catalog

__all__ = ["COVERAGE", "SANDBOX_COVERAGE", "Coverage", "coverage_for", "coverage_table"]


@dataclass(frozen=True)
class Coverage:
    """The kinds enumerated at one provider, the credential variables, and the bucket resource."""

    kinds: tuple[str, ...]
    access_key_env: str | None
    secret_key_env: str | None
    bucket_type: str
    """The Terraform resource type an imported bucket becomes (the provider's module uses it)."""
    note: str = ""

    def credentials(self, environ: Mapping[str, str]) -> tuple[str, str] | None:
        """(access key, secret key) from `environ`, or None when either is unset."""
        if self.access_key_env is None or self.secret_key_env is None:
            return None
        access = environ.get(self.access_key_env, "").strip()
        secret = environ.get(self.secret_key_env, "").strip()
        return (access, secret) if access and secret else None


SANDBOX_COVERAGE = Coverage(
    kinds=("object_storage", "compute", "network", "dns_record"),
    access_key_env=None,
    secret_key_env=None,
    bucket_type="aws_s3_bucket",
    note="moto on loopback: S3 buckets, EC2 instances, VPCs (not the default VPC), Route 53 "
    "records (not a zone's own SOA and NS)",
)

COVERAGE: dict[str, Coverage] = {
    "scaleway": Coverage(
        kinds=("object_storage",),
        access_key_env="SCW_ACCESS_KEY",
        secret_key_env="SCW_SECRET_KEY",
        bucket_type="scaleway_object_bucket",
        note="S3 at s3.<region>.scw.cloud (the scaleway provider's API keys are S3 keys)",
    ),
    "exoscale": Coverage(
        kinds=("object_storage",),
        access_key_env="EXOSCALE_API_KEY",
        secret_key_env="EXOSCALE_API_SECRET",
        bucket_type="aws_s3_bucket",
        note="S3 at sos-<zone>.exo.io (Exoscale API keys are SOS keys)",
    ),
    "hetzner": Coverage(
        kinds=("object_storage",),
        access_key_env="AWS_ACCESS_KEY_ID",
        secret_key_env="AWS_SECRET_ACCESS_KEY",
        bucket_type="aws_s3_bucket",
        note="S3 at <location>.your-objectstorage.com, with the S3 keys hashicorp/aws reads",
    ),
    "open-telekom-cloud": Coverage(
        kinds=("object_storage",),
        access_key_env="OS_ACCESS_KEY",
        secret_key_env="OS_SECRET_KEY",
        bucket_type="opentelekomcloud_obs_bucket",
        note="OBS (S3-compatible) at obs.<region>.otc.t-systems.com, with the AK/SK pair",
    ),
}
"""Cloud providers with an S3-compatible endpoint in the catalog and S3 keys in Terraform's
environment. Others (OVHcloud, STACKIT, IONOS, UpCloud) keep S3 keys apart from the keys their
Terraform provider reads, or have no endpoint template in the catalog: not covered yet."""

_NOT_COVERED = Coverage(kinds=(), access_key_env=None, secret_key_env=None, bucket_type="")


def coverage_for(catalog: Catalog, provider: str) -> Coverage:
    """The coverage of `provider` (nothing for a provider fedstack cannot enumerate yet)."""
    if catalog.provider(provider).kind == "sandbox":
        return SANDBOX_COVERAGE
    return COVERAGE.get(provider, _NOT_COVERED)


def coverage_table(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(provider, kinds, credentials) for every catalog provider, for --help and the docs."""
    rows = []
    for name in catalog.providers:
        cover = coverage_for(catalog, name)
        if cover is SANDBOX_COVERAGE:
            keys = "sandbox keys (built in)"
        elif cover.access_key_env:
            keys = f"{cover.access_key_env}, {cover.secret_key_env}"
        else:
            keys = "—"
        rows.append((name, ", ".join(cover.kinds) or "not covered yet", keys))
    return rows
