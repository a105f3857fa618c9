"""A boto3 client on one sandbox provider (a moto server on loopback), with the sandbox's keys.

Tests use it to look at or change sandbox resources behind Terraform's back. Shared by every
test folder (tests/ is on sys.path).
"""

from __future__ import annotations

from typing import Any

import boto3

from fedstack.sandbox import SANDBOX_CREDENTIALS


def sandbox_client(service: str, endpoint: str, region: str) -> Any:
    """A boto3 client of `service` (s3, ec2, route53) at `endpoint`, in API region `region`."""
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=SANDBOX_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=SANDBOX_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
