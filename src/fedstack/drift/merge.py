"""Merged refresh: check many stacks in one Terraform run, one provider boot per configuration.

Every mergeable stack becomes a module call of a temporary root: a copy of the stack's files
without its `provider` and `terraform` blocks, its provider configurations lifted to the root
and shared between stacks whose configurations are identical after resolving the stack's
variables, its state read (never written, never locked) and moved under `module.<key>`. One
`plan -refresh-only` and one `show -json`, then the plan JSON is split back into one plan-shaped
document per stack, with the stack's own addresses, so the engine reads it exactly as it reads a
stack's own plan. The root, the combined state and the plan hold secrets: they live in the
engine's private temporary folder. Must not import the web framework or cdktf.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fedstack.drift.stack_config import (
    NotMergeable,
    StackConfig,
    block_spans,
    read_stack_config,
    resolve,
    variable_values,
)
from fedstack.drift.schema import StackResult
from fedstack.drift.stacks import Stack

from fedstack.terraform import Terraform

__all__ = ["Member", "MergePlan", "MergedRun", "check_merged", "merged_plans", "plan_merge"]

_GENERATED = "_fedstack_merge.tf.json"
_LOCAL_SOURCE = re.compile(r"""^(\s*source\s*=\s*")(\.\.?/[^"]*)(")""", re.MULTILINE)


@dataclass
class Member:
    """One stack of a merged group: its module key, configuration, variables and state."""

    stack: Stack
    key: str
    config: StackConfig
    env: dict[str, str]
    values: dict[str, Any]
    providers: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """Stack provider ref (`aws`, `aws.east`) -> (local name, source, identity of its config)."""
    state: dict[str, Any] | None = None


@dataclass
class MergePlan:
    """Which stacks run together (groups sharing one environment) and which alone, and why."""

    groups: list[list[Member]]
    alone: dict[str, str]


def plan_merge(
    stacks: Sequence[Stack],
    env_of: Callable[[Stack], dict[str, str]],
    group_size: int | None = None,
) -> MergePlan:
    """Decide, from the stacks' files and states, which can be merged (no Terraform process).

    Stacks sharing an environment form one group, or groups of at most `group_size` stacks.
    """
    alone: dict[str, str] = {}
    by_env: dict[tuple[tuple[str, str], ...], list[Member]] = {}
    for index, stack in enumerate(stacks):
        try:
            env = env_of(stack)
            member = _member(stack, f"s{index}", env)
        except NotMergeable as exc:
            alone[stack.name] = str(exc)
            continue
        except Exception as exc:  # noqa: BLE001 - the stack then fails alone, with its own error
            alone[stack.name] = f"it could not be prepared for merging: {exc}"
            continue
        by_env.setdefault(tuple(sorted(env.items())), []).append(member)
    groups = []
    for members in by_env.values():
        kept = _compatible(members, alone)
        if len(kept) == 1:
            alone[kept[0].stack.name] = "no other stack could be merged with it"
            continue
        size = group_size or len(kept) or 1
        chunks = [kept[i : i + size] for i in range(0, len(kept), size)]
        groups += [c for c in chunks if len(c) > 1]
        for chunk in chunks:
            if len(chunk) == 1:
                alone[chunk[0].stack.name] = "no other stack was left for its merged group"
    return MergePlan(groups=groups, alone=alone)


def merged_plans(
    members: Sequence[Member],
    workdir: Path,
    *,
    timeout: float,
    on_phase: Callable[[str], None],
) -> dict[str, dict[str, Any]]:
    """Run the group's one refresh-only plan; each stack's plan JSON by stack name."""
    workdir.mkdir(mode=0o700)
    aliases = _write_root(members, workdir)
    _write_state(members, aliases, workdir / "terraform.tfstate")
    tf = Terraform(workdir, timeout=timeout, env=members[0].env)
    on_phase("init")
    tf.init()
    on_phase("plan")
    plan_file = workdir / "merged.tfplan"
    tf.plan(out=plan_file, refresh_only=True, lock=False)
    on_phase("show")
    plan = tf.show_json(plan_file)
    return {m.stack.name: _split(plan, m) for m in members}


# -- planning -------------------------------------------------------------------------------------


def _member(stack: Stack, key: str, env: dict[str, str]) -> Member:
    config = read_stack_config(stack.path)
    process_env = {**os.environ, **env}
    values, missing = variable_values(config, process_env)
    if missing:
        raise NotMergeable(f"variable {missing[0]} has no value (it fails alone the same way)")
    member = Member(stack=stack, key=key, config=config, env=env, values=values)
    declared = {p.ref: p for p in config.providers}
    for ref in sorted(config.provider_refs):
        name = ref.split(".", 1)[0]
        block = declared.get(ref)
        if block is None and "." in ref:
            raise NotMergeable(f"provider {ref} is used but not configured in the stack")
        args = resolve(block.args, values, f"provider {ref}") if block else {}
        identity = json.dumps(args, sort_keys=True)
        member.providers[ref] = (name, config.source_of(name), identity)
    member.state = _read_state(config, process_env)
    _refuse_own_remote_state(config, values, process_env)
    return member


def _compatible(members: list[Member], alone: dict[str, str]) -> list[Member]:
    """Members whose provider version constraints agree; the others go alone, with the reason."""
    ranges: dict[str, tuple[_Range, str]] = {}
    names: dict[str, str] = {}
    kept = []
    for member in members:
        reason = None
        wanted: dict[str, _Range] = {}
        for name, spec in member.config.requirements.items():
            source = member.config.source_of(name)
            if names.get(name, source) != source:
                reason = f"provider name {name} means {names[name]} in another merged stack"
            constraint = spec.get("version", "")
            try:
                wanted[source] = _Range.parse(constraint)
            except ValueError:
                reason = f"provider {source} version constraint {constraint!r} is not understood"
                break
            if source in ranges:
                combined = ranges[source][0].intersect(wanted[source])
                if combined.empty:
                    reason = (
                        f"provider {source} version constraint {constraint!r} conflicts with "
                        f"{ranges[source][1]!r} of another merged stack"
                    )
        if reason:
            alone[member.stack.name] = reason
            continue
        for name in member.config.requirements:
            names.setdefault(name, member.config.source_of(name))
        for source, wanted_range in wanted.items():
            if source in ranges:
                ranges[source] = (ranges[source][0].intersect(wanted_range), ranges[source][1])
            else:
                constraint = next(
                    spec.get("version", "")
                    for n, spec in member.config.requirements.items()
                    if member.config.source_of(n) == source
                )
                ranges[source] = (wanted_range, constraint)
        kept.append(member)
    return kept


def _read_state(config: StackConfig, env: Mapping[str, str]) -> dict[str, Any] | None:
    """The stack's current state, read like `state pull -lock=false`: nothing written, no lock."""
    workspace = env.get("TF_WORKSPACE") or _selected_workspace(config.folder)
    if workspace not in ("", "default"):
        raise NotMergeable(f"workspace {workspace} is selected; the merged root reads default")
    kind, settings = config.backend or ("local", {})
    cached = _initialised_backend(config.folder)
    if cached and cached[0] == kind:
        settings = {**settings, **{k: v for k, v in cached[1].items() if v is not None}}
    if kind == "local":
        path = config.folder / str(settings.get("path") or "terraform.tfstate")
        if not path.is_file():
            return None
        return _parse_state(path.read_text(), str(path))
    if kind == "http":
        return _http_state(settings, env)
    raise NotMergeable(f'backend "{kind}": the merged root reads only local and http states')


def _selected_workspace(folder: Path) -> str:
    try:
        return (folder / ".terraform" / "environment").read_text().strip()
    except OSError:
        return ""


def _initialised_backend(folder: Path) -> tuple[str, dict[str, Any]] | None:
    try:
        cached = json.loads((folder / ".terraform" / "terraform.tfstate").read_text())
        backend = cached["backend"]
        return str(backend["type"]), dict(backend.get("config") or {})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _http_state(settings: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, Any] | None:
    from fedstack import config
    from fedstack.client import BridgeClient, BridgeClientError
    from fedstack.stacks import identity_from_address

    address = str(settings.get("address") or env.get("TF_HTTP_ADDRESS") or "")
    if not address or "${" in address:
        raise NotMergeable("its http backend has no address the merged root can read")
    identity = identity_from_address(address)
    if identity is None or identity.project is None:
        raise NotMergeable("its http backend is not a fedstack bridge state address")
    bridge_url = address[: address.rindex("/v1/states/")]
    # Terraform sends the token as the basic-auth password; the bridge takes it as a bearer.
    # What Terraform itself would send; FEDSTACK_BRIDGE_TOKEN only to the bridge it names.
    password = settings.get("password") or env.get("TF_HTTP_PASSWORD")
    if not password and bridge_url.rstrip("/") == (config.bridge_url() or "").rstrip("/"):
        password = config.setting("FEDSTACK_BRIDGE_TOKEN")
    try:
        with BridgeClient(
            bridge_url, str(password or ""), timeout=60.0, token_from_environment=False
        ) as bridge:
            body = bridge.state(identity.project, identity.stack)
    except BridgeClientError as exc:
        if exc.status is None:
            raise NotMergeable(
                "its http state could not be read: the bridge did not answer"
            ) from None
        raise NotMergeable(f"its http state answered HTTP {exc.status}") from None
    return None if body is None else _parse_state(body.decode(), "its http state")


def _parse_state(text: str, where: str) -> dict[str, Any] | None:
    try:
        state = json.loads(text)
    except ValueError:
        raise NotMergeable(f"{where} is not a state file") from None
    if not isinstance(state, dict) or state.get("version") != 4:
        raise NotMergeable(f"{where} is not a version 4 state")
    return state


def _refuse_own_remote_state(
    config: StackConfig, values: Mapping[str, Any], env: Mapping[str, str]
) -> None:
    kind, settings = config.backend or ("local", {})
    own_path = (config.folder / str(settings.get("path") or "terraform.tfstate")).resolve()
    own_address = settings.get("address") or env.get("TF_HTTP_ADDRESS")
    for body in config.remote_states:
        try:
            found = resolve(body, values, "terraform_remote_state")
        except NotMergeable:
            raise NotMergeable("a terraform_remote_state's settings depend on the stack") from None
        settings_of = (found.get("config") or {}) if isinstance(found, dict) else {}
        backend = found.get("backend") if isinstance(found, dict) else None
        if backend == "local" and kind == "local":
            target = (config.folder / str(settings_of.get("path") or "terraform.tfstate")).resolve()
            if target == own_path:
                raise NotMergeable("it reads its own state through terraform_remote_state")
        if backend == "http" and own_address and settings_of.get("address") == own_address:
            raise NotMergeable("it reads its own state through terraform_remote_state")


# -- the temporary root ---------------------------------------------------------------------------


def _write_root(members: Sequence[Member], root: Path) -> dict[tuple[str, str], str]:
    """Write the merged root; returns (source, identity) -> the root's provider alias."""
    aliases: dict[tuple[str, str], str] = {}
    providers: dict[str, list[dict[str, Any]]] = {}
    sources: dict[str, str] = {}
    modules: dict[str, Any] = {}
    variables: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    tfvars: dict[str, Any] = {}
    for member in members:
        passed: dict[str, str] = {}
        for ref, (name, source, identity) in member.providers.items():
            alias = aliases.get((source, identity))
            if alias is None:
                alias = aliases[(source, identity)] = f"p{len(aliases)}"
                block = _escaped(json.loads(identity))
                providers.setdefault(name, []).append({"alias": alias, **block})
                sources[name] = source
            passed[ref] = f"{name}.{alias}"
        call: dict[str, Any] = {"source": f"./stacks/{member.key}", "providers": passed}
        for name, value in member.values.items():
            root_name = f"{member.key}__{name}"
            call[name] = f"${{var.{root_name}}}"
            sensitive = member.config.variables[name].sensitive
            variables[root_name] = {"sensitive": True} if sensitive else {}
            tfvars[root_name] = value
        modules[member.key] = call
        for name, sensitive in member.config.outputs.items():
            outputs[f"{member.key}__{name}"] = {
                "value": f"${{module.{member.key}.{name}}}",
                "sensitive": sensitive,
            }
        _copy_stack(member, root / "stacks" / member.key)
    document: dict[str, Any] = {"module": modules}
    # Empty blocks are not valid JSON syntax: a fleet of built-in `terraform_data` has none.
    if providers:
        document["provider"] = providers
        document["terraform"] = {
            "required_providers": {
                name: {"source": _short_source(source)} for name, source in sources.items()
            }
        }
    if variables:
        document["variable"] = variables
    if outputs:
        document["output"] = outputs
    (root / "main.tf.json").write_text(json.dumps(document, indent=2))
    (root / "terraform.tfvars.json").write_text(json.dumps(tfvars))
    return aliases


def _escaped(value: Any) -> Any:
    """Resolved literals written as JSON syntax: `${` and `%{` would start a template."""
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, str):
        return value.replace("${", "$${").replace("%{", "%%{")
    return value


def _short_source(source: str) -> str:
    prefix = "registry.terraform.io/"
    return source[len(prefix) :] if source.startswith(prefix) else source


def _copy_stack(member: Member, target: Path) -> None:
    """The stack as a module: its files without provider/terraform blocks, the rest linked."""
    target.mkdir(parents=True)
    folder = member.stack.path
    for file in member.config.files:
        out = target / file.path.name
        if file.kind == "json":
            doc = json.loads(file.text)
            doc.pop("provider", None)
            doc.pop("terraform", None)
            for body in _module_bodies(doc.get("module")):
                body["source"] = _rebased(str(body.get("source", "")), folder, target)
            out.write_text(json.dumps(doc, indent=2))
        else:
            out.write_text(_rebase_hcl_sources(_without_blocks(file.text), folder, target))
    requirements: dict[str, Any] = {}
    for name, spec in member.config.requirements.items():
        requirements[name] = {"source": _short_source(member.config.source_of(name))}
        if spec.get("version"):
            requirements[name]["version"] = spec["version"]
    for ref in member.providers:
        name, _, alias = ref.partition(".")
        entry = requirements.setdefault(
            name, {"source": _short_source(member.config.source_of(name))}
        )
        if alias:
            entry.setdefault("configuration_aliases", []).append(ref)
    if requirements:
        generated = {"terraform": {"required_providers": requirements}}
        (target / _GENERATED).write_text(json.dumps(generated, indent=2))
    own = {f.path.name for f in member.config.files}
    for entry in folder.iterdir():
        if entry.name in own or entry.name.startswith((".terraform", "terraform.tfstate")):
            continue
        if entry.name.endswith((".tfvars", ".tfvars.json", ".tfplan")):
            continue
        os.symlink(entry, target / entry.name)


def _module_bodies(modules: Any) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    for value in (modules or {}).values():
        bodies += [
            v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)
        ]
    return bodies


def _without_blocks(text: str) -> str:
    spans = block_spans(text, ("provider", "terraform"))
    # Blank the blocks out line for line: every other line keeps its number.
    out = list(text)
    for start, end in spans:
        for i in range(start, end):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)


def _rebase_hcl_sources(text: str, folder: Path, target: Path) -> str:
    def rebase(match: re.Match[str]) -> str:
        return match.group(1) + _rebased(match.group(2), folder, target) + match.group(3)

    return _LOCAL_SOURCE.sub(rebase, text)


def _rebased(source: str, folder: Path, target: Path) -> str:
    """A local module source relative to the copy, pointing at the stack's own module."""
    if not source.startswith(("./", "../")):
        return source
    relative = os.path.relpath((folder / source).resolve(), target)
    return relative if relative.startswith("../") else f"./{relative}"


# -- the combined state ---------------------------------------------------------------------------


def _write_state(
    members: Sequence[Member], aliases: Mapping[tuple[str, str], str], path: Path
) -> None:
    resources: list[dict[str, Any]] = []
    outputs: dict[str, Any] = {}
    version = "1.0.0"
    for member in members:
        state = member.state
        if not state:
            continue
        version = str(state.get("terraform_version") or version)
        by_address = {
            _state_provider(source, ref): f'provider["{source}"].{aliases[(source, identity)]}'
            for ref, (_name, source, identity) in member.providers.items()
        }
        for resource in state.get("resources") or []:
            resources.append(_moved_resource(resource, member.key, by_address))
        for name, output in (state.get("outputs") or {}).items():
            if name in member.config.outputs:
                outputs[f"{member.key}__{name}"] = output
    combined = {
        "version": 4,
        "terraform_version": version,
        "serial": 1,
        "lineage": str(uuid.uuid4()),
        "outputs": outputs,
        "resources": resources,
        "check_results": None,
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(combined, handle)


def _state_provider(source: str, ref: str) -> str:
    _, _, alias = ref.partition(".")
    return f'provider["{source}"]' + (f".{alias}" if alias else "")


def _moved_resource(
    resource: dict[str, Any], key: str, providers: Mapping[str, str]
) -> dict[str, Any]:
    moved = copy.deepcopy(resource)
    prefix = f"module.{key}"
    moved["module"] = f"{prefix}.{resource['module']}" if resource.get("module") else prefix
    provider = str(resource.get("provider", ""))
    if provider.startswith("module."):
        moved["provider"] = f"{prefix}.{provider}"
    else:
        moved["provider"] = providers.get(provider, provider)
    for instance in moved.get("instances") or []:
        if instance.get("dependencies"):
            instance["dependencies"] = [f"{prefix}.{d}" for d in instance["dependencies"]]
    return moved


# -- splitting the plan back ----------------------------------------------------------------------


def _split(plan: dict[str, Any], member: Member) -> dict[str, Any]:
    """The part of the merged plan JSON that is `member`'s, as its own plan would show it."""
    prefix = f"module.{member.key}"
    own: dict[str, Any] = {
        "format_version": plan.get("format_version"),
        "terraform_version": plan.get("terraform_version"),
    }
    own["resource_drift"] = [
        _unprefixed_change(entry, prefix)
        for entry in plan.get("resource_drift") or []
        if _under(str(entry.get("address", "")), prefix)
    ]
    for part in ("prior_state", "planned_values"):
        source = plan.get(part) or {}
        values = source.get("values") if part == "prior_state" else source
        if not isinstance(values, dict):
            continue
        module = _own_module((values.get("root_module") or {}), prefix)
        split = {
            "root_module": module,
            "outputs": _own_outputs(values.get("outputs") or {}, member.key),
        }
        own[part] = {**source, "values": split} if part == "prior_state" else split
    own["variables"] = {
        name: value
        for key, value in (plan.get("variables") or {}).items()
        if (name := _own_name(key, member.key)) is not None
    }
    own["configuration"] = {
        "provider_config": _provider_config(plan, member),
        "root_module": {
            "variables": {
                name: {"sensitive": True}
                for name, variable in member.config.variables.items()
                if variable.sensitive
            }
        },
    }
    return own


def _under(address: str, prefix: str) -> bool:
    return address.startswith(prefix + ".")


def _strip(address: str, prefix: str) -> str:
    return address[len(prefix) + 1 :] if _under(address, prefix) else address


def _unprefixed_change(entry: dict[str, Any], prefix: str) -> dict[str, Any]:
    change = dict(entry)
    change["address"] = _strip(str(entry["address"]), prefix)
    module = entry.get("module_address")
    if module == prefix:
        change.pop("module_address", None)
    elif isinstance(module, str):
        change["module_address"] = _strip(module, prefix)
    if isinstance(entry.get("previous_address"), str):
        change["previous_address"] = _strip(entry["previous_address"], prefix)
    return change


def _own_module(root: dict[str, Any], prefix: str) -> dict[str, Any]:
    for child in root.get("child_modules") or []:
        if child.get("address") == prefix:
            return _unprefixed_module(child, prefix, top=True)
    return {}


def _unprefixed_module(module: dict[str, Any], prefix: str, *, top: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not top:
        out["address"] = _strip(str(module.get("address", "")), prefix)
    resources = []
    for resource in module.get("resources") or []:
        moved = dict(resource)
        moved["address"] = _strip(str(resource.get("address", "")), prefix)
        resources.append(moved)
    if resources:
        out["resources"] = resources
    children = [_unprefixed_module(c, prefix, top=False) for c in module.get("child_modules") or []]
    if children:
        out["child_modules"] = children
    return out


def _own_name(key: str, member_key: str) -> str | None:
    head = f"{member_key}__"
    return key[len(head) :] if key.startswith(head) else None


def _own_outputs(outputs: Mapping[str, Any], member_key: str) -> dict[str, Any]:
    return {
        name: value
        for key, value in outputs.items()
        if (name := _own_name(key, member_key)) is not None
    }


def _provider_config(plan: dict[str, Any], member: Member) -> dict[str, Any]:
    """The stack's provider configurations as its own plan shows them (constants stay constant)."""
    config: dict[str, Any] = {}
    for block in member.config.providers:
        expressions = {
            k: {"constant_value": v}
            for k, v in block.args.items()
            if not isinstance(v, (dict, list)) and not (isinstance(v, str) and "${" in v)
        }
        config[block.ref] = {"name": block.name, "expressions": expressions}
    # Provider blocks of the stack's own modules keep their place under the module path.
    nested = f"module.{member.key}.module."
    for key, value in ((plan.get("configuration") or {}).get("provider_config") or {}).items():
        if key.startswith(nested):
            config[key[len(f"module.{member.key}.") :]] = value
    return config


# -- provider version constraints ------------------------------------------------------------------

_VERSION = re.compile(r"^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+){0,2})(?:-[0-9A-Za-z.-]+)?\s*$")


@dataclass(frozen=True)
class _Range:
    """The versions a constraint admits: a lower and an upper bound, each inclusive or not."""

    low: tuple[int, int, int] = (0, 0, 0)
    low_inclusive: bool = True
    high: tuple[int, int, int] | None = None
    high_inclusive: bool = False

    @classmethod
    def parse(cls, text: str) -> _Range:
        """The range of a Terraform version constraint such as `>= 5.0, < 6.0` or `~> 5.1`."""
        found = cls()
        for part in (p for p in text.split(",") if p.strip()):
            match = _VERSION.match(part)
            if match is None:
                raise ValueError(part)
            op, number = match.group(1) or "=", match.group(2)
            digits = [int(d) for d in number.split(".")]
            version = tuple((digits + [0, 0, 0])[:3])
            found = found.intersect(_single(op, version, len(digits)))  # type: ignore[arg-type]
        return found

    def intersect(self, other: _Range) -> _Range:
        """The versions both ranges admit."""
        low, low_inc = max(
            (self.low, self.low_inclusive), (other.low, other.low_inclusive), key=_low_key
        )
        highs = [h for h in ((self.high, self.high_inclusive), (other.high, other.high_inclusive))]
        bounded = [h for h in highs if h[0] is not None]
        high, high_inc = min(bounded, key=_high_key) if bounded else (None, False)
        return _Range(low, low_inc, high, high_inc)

    @property
    def empty(self) -> bool:
        """True when no version satisfies the range."""
        if self.high is None:
            return False
        if self.low == self.high:
            return not (self.low_inclusive and self.high_inclusive)
        return self.low > self.high


def _low_key(bound: tuple[tuple[int, int, int], bool]) -> tuple[tuple[int, int, int], int]:
    return bound[0], 0 if bound[1] else 1


def _high_key(bound: tuple[Any, bool]) -> tuple[tuple[int, int, int], int]:
    return bound[0], 1 if bound[1] else 0


def _single(op: str, version: tuple[int, int, int], parts: int) -> _Range:
    if op == "=":
        return _Range(version, True, version, True)
    if op == ">=":
        return _Range(version, True)
    if op == ">":
        return _Range(version, False)
    if op == "<=":
        return _Range(high=version, high_inclusive=True)
    if op == "<":
        return _Range(high=version)
    if op == "~>":
        # ~> 5.1 admits 5.1 up to (not) 6.0; ~> 5.1.2 admits up to (not) 5.2.0.
        if parts <= 1:
            return _Range(version, True)
        bump = [*version[: parts - 1]]
        bump[-1] += 1
        upper = tuple((bump + [0, 0, 0])[:3])
        return _Range(version, True, upper, False)  # type: ignore[arg-type]
    return _Range()  # != excludes one version: never empties a range in practice


# -- running groups and lone stacks side by side ---------------------------------------------------

Alone = Callable[[Stack], StackResult]
"""Checks one stack on its own (the engine's per-stack check)."""
Judge = Callable[[Stack, dict[str, Any], float], StackResult]
"""Turns one stack's plan JSON (split from a merged run) into its result; float: start time."""


@dataclass(frozen=True)
class MergedRun:
    """How the engine runs a merged check: pool size, time limit, and its per-stack steps."""

    parallel: int
    timeout: float
    env_of: Callable[[Stack], dict[str, str]]
    alone: Alone
    judge: Judge
    on_phase: Callable[[str, str], None] | None = None
    group_size: int | None = None
    on_interrupt: Callable[[], None] | None = None
    """Called on Ctrl-C before waiting for the running Terraform commands (stops them)."""


class MergeInterrupted(Exception):
    """Ctrl-C during a merged check: `results` holds the stacks that finished, in order."""

    def __init__(self, results: list[StackResult]) -> None:
        super().__init__("interrupted")
        self.results = results


def check_merged(stacks: Sequence[Stack], plans: Path, run: MergedRun) -> list[StackResult]:
    """Every stack's result, in `stacks` order: mergeable ones in groups, the others alone."""
    decided = plan_merge(stacks, run.env_of, run.group_size)
    results: dict[str, StackResult] = {}
    workers = max(1, min(run.parallel, len(decided.groups) + len(decided.alone)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="drift") as pool:
        pending: dict[Future[Any], tuple[str, Any]] = {}
        by_name = {s.name: s for s in stacks}

        def submit_alone(name: str, reason: str) -> None:
            pending[pool.submit(run.alone, by_name[name])] = ("alone", (name, reason))

        for name, reason in decided.alone.items():
            submit_alone(name, reason)
        for number, group in enumerate(decided.groups):
            pending[pool.submit(_run_group, group, plans / f"merged-{number}", run)] = (
                "group",
                group,
            )
        try:
            while pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for finished in done:
                    kind, what = pending.pop(finished)
                    if kind == "alone":
                        name, reason = what
                        checked: StackResult = finished.result()
                        results[name] = checked.model_copy(update={"not_merged_reason": reason})
                        continue
                    outcome = finished.result()
                    if isinstance(outcome, str):  # the merged run failed: each stack alone
                        for member in what:
                            submit_alone(member.stack.name, outcome)
                    else:
                        results.update({r.name: r for r in outcome})
        except KeyboardInterrupt:
            # Queued work never starts; running Terraform is stopped before the pool waits.
            for future in pending:
                future.cancel()
            if run.on_interrupt is not None:
                run.on_interrupt()
            wait([f for f in pending if not f.cancelled()])
            raise MergeInterrupted([results[s.name] for s in stacks if s.name in results]) from None
    return [results[s.name] for s in stacks]


def _run_group(members: list[Member], workdir: Path, run: MergedRun) -> list[StackResult] | str:
    started = time.monotonic()

    def phase(name: str) -> None:
        for member in members:
            if run.on_phase:
                run.on_phase(member.stack.name, name)

    try:
        plans = merged_plans(members, workdir, timeout=run.timeout, on_phase=phase)
    except Exception as exc:  # noqa: BLE001 - any failure: every stack is retried on its own
        message = " ".join(str(exc).split())[:300]
        return f"the merged run failed, so it was checked on its own: {message}"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return [
        run.judge(m.stack, plans[m.stack.name], started).model_copy(update={"merged": True})
        for m in members
    ]
