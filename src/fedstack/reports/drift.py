"""Render a DriftReport as Markdown, JUnit XML, SARIF 2.1.0, JSON or a standalone HTML page.

Every format comes from the same report model through the templates in templates/drift/,
in the one environment of `fedstack.reports`; files are `drift.md`, `drift.junit.xml`,
`drift.sarif`, `drift.json`, `drift.html`. Values in the report are already masked; templates
escape everything. Must not import the web framework or cdktf.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fedstack.reports._environment import environment, render_template
from fedstack.reports._formats import ReportError, file_name, write_files
from fedstack.reports._formats import parse_formats as _parse_formats
from fedstack.reports._map import RegionMarker, State, estate_map

if TYPE_CHECKING:
    from fedstack.drift.schema import DriftReport, ResourceDrift, StackResult

__all__ = ["FILE_NAMES", "FORMATS", "MARKDOWN_LIMIT", "parse_formats", "render", "write_reports"]

KIND = "drift"
FORMATS = ("md", "junit", "sarif", "json", "html")
"""Report formats, as named on the command line."""

FILE_NAMES = {fmt: file_name(KIND, fmt) for fmt in FORMATS}
"""The file each format is written to inside the output folder."""

MARKDOWN_LIMIT = 60_000
"""Markdown size limit in characters: a GitHub comment holds 65,536; stacks past it are cut."""


@dataclass(frozen=True)
class ProviderRow:
    """One line of the per-provider summary."""

    provider: str
    region: str
    country: str
    stacks: int
    in_sync: int
    drifted: int
    errored: int
    resources_drifted: int


@dataclass(frozen=True)
class DefaultTagChange:
    """One `tags_all` change (a provider default tag) shared by several resources of a stack."""

    path: str
    before: Any
    after: Any
    addresses: list[str]


DEFAULT_TAG_GROUP_MIN = 2
"""Resources sharing one default tag change before the Markdown report shows it as one finding."""


def default_tag_changes(
    stack: StackResult,
) -> tuple[list[DefaultTagChange], dict[str, list[Any]]]:
    """Default tag changes shared by several resources, and each resource's remaining changes.

    A provider-wide `default_tags` change out of band shows on every resource as the same
    `tags_all.x` change (with no `tags.x` beside it: the engine folds those); a list of N
    identical rows hides the real drift, so it becomes one finding with the resource count.
    """
    shared: dict[tuple[str, str, str], list[str]] = {}
    for r in stack.drift:
        for c in r.changes:
            if r.kind == "update" and c.path.startswith("tags_all.") and not c.ignored:
                shared.setdefault((c.path, repr(c.before), repr(c.after)), []).append(r.address)
    grouped = {k for k, addresses in shared.items() if len(addresses) >= DEFAULT_TAG_GROUP_MIN}
    groups: list[DefaultTagChange] = []
    rest: dict[str, list[Any]] = {}
    for r in stack.drift:
        rest[r.address] = []
        for c in r.changes:
            key = (c.path, repr(c.before), repr(c.after))
            if key not in grouped or r.address not in shared[key]:  # e.g. an ignored change
                rest[r.address].append(c)
            elif r.address == shared[key][0]:  # the group's row, once, where it first shows
                groups.append(DefaultTagChange(c.path, c.before, c.after, sorted(shared[key])))
    return groups, rest


def parse_formats(text: str) -> list[str]:
    """`md,junit` -> ["md", "junit"]; `all` -> every format; unknown names are a ReportError."""
    return _parse_formats(text, FORMATS)


def render(report: DriftReport, fmt: str, *, markdown_limit: int = MARKDOWN_LIMIT) -> str:
    """The report in one format (see FORMATS)."""
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        return _markdown(report, markdown_limit)
    extra = {"estate": _estate(report.stacks)} if fmt == "html" else {}
    return render_template(KIND, fmt, **_context(report), **extra)


def write_reports(report: DriftReport, formats: Iterable[str], out_dir: Path) -> dict[str, Path]:
    """Write each format to its file in `out_dir` (created when missing); returns the paths."""
    return write_files(KIND, ((fmt, render(report, fmt)) for fmt in formats), out_dir)


# -- shared context ----------------------------------------------------------------------------


def _context(report: DriftReport) -> dict[str, Any]:
    return {
        "report": report,
        "summary": report.summary,
        "status": report.status,
        "providers": _provider_rows(report.stacks),
        "cases": {s.name: _resource_cases(s) for s in report.stacks},
        "pairs": [(s, r) for s in report.stacks for r in s.drift],
    }


def _provider_rows(stacks: list[StackResult]) -> list[ProviderRow]:
    groups: dict[tuple[str, str, str], list[StackResult]] = {}
    for stack in stacks:
        key = (stack.provider or "unknown", stack.region or "—", stack.country or "—")
        groups.setdefault(key, []).append(stack)
    return [
        ProviderRow(
            provider=key[0],
            region=key[1],
            country=key[2],
            stacks=len(group),
            in_sync=sum(s.status == "in_sync" for s in group),
            drifted=sum(s.status == "drift" for s in group),
            errored=sum(s.status == "error" for s in group),
            resources_drifted=sum(not r.ignored for s in group for r in s.drift),
        )
        for key, group in sorted(groups.items())
    ]


def _estate(stacks: list[StackResult]) -> Any:
    """The map of the report's regions: drifting, else could not be checked, else in sync."""
    groups: dict[tuple[str, str, str | None], list[StackResult]] = {}
    for stack in stacks:
        if stack.provider and stack.region:
            groups.setdefault((stack.provider, stack.region, stack.country), []).append(stack)
    markers = []
    for (provider, region, country), group in sorted(groups.items(), key=lambda g: g[0][:2]):
        statuses = {s.status for s in group}
        state: State = (
            "drifting" if "drift" in statuses else "error" if "error" in statuses else "in_sync"
        )
        first = next(i for i, s in enumerate(stacks, 1) if s in group)
        markers.append(
            RegionMarker(
                provider=provider,
                region=region,
                country=country,
                stacks=len(group),
                resources=sum(len(s.resources_checked) for s in group),
                state=state,
                href=f"#stack-{first}",
            )
        )
    return estate_map(markers, states=("in_sync", "drifting", "error"))


def _resource_cases(stack: StackResult) -> list[tuple[str, ResourceDrift | None]]:
    """Every resource of a stack (checked or gone), with its drift when it drifted."""
    drift = {r.address: r for r in stack.drift}
    addresses = sorted(set(stack.resources_checked) | drift.keys())
    return [(address, drift.get(address)) for address in addresses]


def _markdown(report: DriftReport, limit: int) -> str:
    env = environment()
    context = _context(report)
    head = env.get_template("drift/report.md").render(**context, details=[], omitted=0, limit=limit)
    budget = limit - len(head) - 400  # room for the truncation note
    details: list[str] = []
    omitted = 0
    for stack in report.stacks:
        groups, rest = default_tag_changes(stack)
        block = env.get_template("drift/stack.md").render(stack=stack, groups=groups, rest=rest)
        if omitted or len(block) > budget:
            omitted += 1
            continue
        details.append(block)
        budget -= len(block)
    return env.get_template("drift/report.md").render(
        **context, details=details, omitted=omitted, limit=limit
    )
