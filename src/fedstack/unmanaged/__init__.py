"""fedstack.unmanaged: resources at the providers that no stack manages.

Enumerates each catalog provider's resources through its own API (boto3 against S3-compatible,
EC2 and Route 53 endpoints) with the credentials Terraform uses, matches them to the bridge's
inventory by identifier, applies ignore rules, and renders the report with an `import` block per
finding. Must not import the web framework or cdktf.
"""

from fedstack.unmanaged._coverage import COVERAGE, Coverage, coverage_for, coverage_table
from fedstack.unmanaged._enumerate import ProviderFailure
from fedstack.unmanaged._ignore import apply_rules, load_rules
from fedstack.unmanaged._match import IDENTIFIERS
from fedstack.unmanaged._model import (
    KINDS,
    SCHEMA_VERSION,
    Finding,
    ProviderOutcome,
    Scope,
    UnmanagedReport,
    read_report,
    report_document,
)
from fedstack.reports.unmanaged import FILE_NAMES, FORMATS, parse_formats, render, write_reports
from fedstack.unmanaged._run import UnmanagedOptions, find_unmanaged

__all__ = [
    "COVERAGE",
    "FILE_NAMES",
    "FORMATS",
    "IDENTIFIERS",
    "KINDS",
    "SCHEMA_VERSION",
    "Coverage",
    "Finding",
    "ProviderFailure",
    "ProviderOutcome",
    "Scope",
    "UnmanagedOptions",
    "UnmanagedReport",
    "apply_rules",
    "coverage_for",
    "coverage_table",
    "find_unmanaged",
    "load_rules",
    "parse_formats",
    "read_report",
    "render",
    "report_document",
    "write_reports",
]
