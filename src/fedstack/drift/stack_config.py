"""What a stack's own files declare, read statically for the merged refresh.

Providers (local name, alias, arguments), required providers, variables and their values
(`terraform.tfvars`, `*.auto.tfvars`, `TF_VAR_*`, defaults), outputs, backend, module sources
and anything that keeps a stack out of a merged run. HCL goes through python-hcl2 and is
normalised to the shape of Terraform's JSON syntax: a string holds `${...}` where it is an
expression. Also the spans of top-level blocks, so a copy of the stack can drop its `provider`
and `terraform` blocks. Pure file reading: no Terraform process, no web framework.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fedstack.drift.stacks import config_files

__all__ = [
    "ConfigFile",
    "NotMergeable",
    "ProviderBlock",
    "StackConfig",
    "Variable",
    "block_spans",
    "read_stack_config",
    "resolve",
]

# Constructs whose meaning changes when the stack becomes a module of another root.
_ROOT_ONLY = (
    (re.compile(r"\bpath\.root\b"), "uses path.root, which differs in a merged root"),
    (re.compile(r"\bpath\.cwd\b"), "uses path.cwd, which differs in a merged root"),
)
_VAR_REF = re.compile(r"\$\{\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}")


class NotMergeable(Exception):
    """The stack must be checked on its own; the message says why (shown in the report)."""


@dataclass(frozen=True)
class ConfigFile:
    """One configuration file of the stack: its path, text and kind."""

    path: Path
    text: str
    kind: Literal["hcl", "json"]


@dataclass(frozen=True)
class ProviderBlock:
    """One `provider` block: local name, alias and arguments (JSON-syntax shape)."""

    name: str
    alias: str | None
    args: dict[str, Any]

    @property
    def ref(self) -> str:
        """`aws` or `aws.east`: how resources and `providers` maps name it."""
        return f"{self.name}.{self.alias}" if self.alias else self.name


@dataclass(frozen=True)
class Variable:
    """One `variable` block of the stack's root."""

    name: str
    type: str | None
    sensitive: bool
    has_default: bool
    default: Any = None


@dataclass
class StackConfig:
    """The parts of a stack's root module the merged refresh needs."""

    folder: Path
    files: list[ConfigFile]
    requirements: dict[str, dict[str, str]] = field(default_factory=dict)
    providers: list[ProviderBlock] = field(default_factory=list)
    provider_refs: set[str] = field(default_factory=set)
    variables: dict[str, Variable] = field(default_factory=dict)
    outputs: dict[str, bool] = field(default_factory=dict)
    backend: tuple[str, dict[str, Any]] | None = None
    modules: dict[str, Any] = field(default_factory=dict)
    remote_states: list[dict[str, Any]] = field(default_factory=list)

    def source_of(self, name: str) -> str:
        """The provider source address of local name `name` (hashicorp/NAME when not required)."""
        source = (self.requirements.get(name) or {}).get("source") or f"hashicorp/{name}"
        return _full_source(source)


def read_stack_config(folder: Path) -> StackConfig:
    """Parse the stack's files; raises NotMergeable for what a merged run cannot reproduce."""
    files = [_read_file(p) for p in config_files(folder)]
    config = StackConfig(folder=folder, files=files)
    for file in files:
        if re.search(r"(^|_)override\.tf(\.json)?$", file.path.name):
            raise NotMergeable(f"{file.path.name}: override files are not merged")
        for pattern, reason in _ROOT_ONLY:
            if pattern.search(file.text):
                raise NotMergeable(f"{file.path.name} {reason}")
        _read_document(config, _document(file), file.path.name)
    return config


def resolve(value: Any, variables: Mapping[str, Any], where: str) -> Any:
    """`value` with every `${var.NAME}` replaced; NotMergeable for any other expression."""
    if isinstance(value, dict):
        return {k: resolve(v, variables, where) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, variables, where) for v in value]
    if not isinstance(value, str) or "${" not in value and "%{" not in value:
        return value
    whole = _VAR_REF.fullmatch(value.strip())
    if whole:
        return _variable_value(whole.group(1), variables, where)

    def substitute(match: re.Match[str]) -> str:
        found = _variable_value(match.group(1), variables, where)
        if isinstance(found, (dict, list)):
            raise NotMergeable(f"{where} puts a collection variable into a string")
        return str(found).lower() if isinstance(found, bool) else str(found)

    text = _VAR_REF.sub(substitute, value)
    if "${" in text or "%{" in text:
        raise NotMergeable(f"{where} depends on a value known only inside the stack")
    return text


def variable_values(
    config: StackConfig, env: Mapping[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """Values of the stack's variables as Terraform would set them, and the required ones unset.

    Precedence as Terraform's: default < TF_VAR_* < terraform.tfvars(.json) < *.auto.tfvars(.json).
    """
    values: dict[str, Any] = {n: v.default for n, v in config.variables.items() if v.has_default}
    for name, variable in config.variables.items():
        raw = env.get(f"TF_VAR_{name}")
        if raw is not None:
            values[name] = _env_value(raw, variable)
    for path in _tfvars_files(config.folder):
        for name, value in _read_tfvars(path).items():
            if name in config.variables:
                values[name] = value
    missing = [n for n in config.variables if n not in values]
    return values, missing


def block_spans(text: str, kinds: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) character offsets of the top-level HCL blocks of the given kinds."""
    spans = []
    for kind, start, end in _top_level_blocks(text):
        if kind in kinds:
            spans.append((start, end))
    return spans


# -- documents --------------------------------------------------------------------------------


def _read_file(path: Path) -> ConfigFile:
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise NotMergeable(f"{path.name} cannot be read: {exc}") from None
    return ConfigFile(path=path, text=text, kind="json" if path.name.endswith(".json") else "hcl")


def _document(file: ConfigFile) -> dict[str, Any]:
    """The file as Terraform JSON syntax: {block kind: {label: ... body}}."""
    if file.kind == "json":
        try:
            doc = json.loads(file.text)
        except ValueError as exc:
            raise NotMergeable(f"{file.path.name} is not valid JSON: {exc}") from None
        if not isinstance(doc, dict):
            raise NotMergeable(f"{file.path.name} is not a JSON object")
        return doc
    import hcl2  # lazy: only the merged refresh needs the parser
    from lark.exceptions import LarkError

    try:
        parsed = hcl2.loads(file.text)
    except (LarkError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise NotMergeable(f"{file.path.name} cannot be parsed: {first}") from None
    return _from_hcl2(parsed)


def _from_hcl2(parsed: dict[str, Any]) -> dict[str, Any]:
    labels = {"provider": 1, "variable": 1, "output": 1, "module": 1, "resource": 2, "data": 2}
    doc: dict[str, Any] = {}
    for kind, blocks in parsed.items():
        if kind.startswith("__"):
            continue
        if kind == "terraform":
            doc["terraform"] = [_hcl_value(b) for b in blocks]
            continue
        depth = labels.get(kind)
        if depth is None:
            doc.setdefault(kind, blocks)
            continue
        target = doc.setdefault(kind, {})
        for block in blocks:
            _merge_labelled(target, block, depth)
    return doc


def _merge_labelled(target: dict[str, Any], block: dict[str, Any], depth: int) -> None:
    for label, body in block.items():
        if label.startswith("__"):
            continue
        key = _unquote(label)
        if depth == 1:
            target.setdefault(key, []).append(_hcl_value(body))
        else:
            _merge_labelled(target.setdefault(key, {}), body, depth - 1)


def _hcl_value(value: Any) -> Any:
    """A python-hcl2 value in JSON-syntax shape: literals unquoted, expressions as ${...}."""
    if isinstance(value, dict):
        return {_unquote(k): _hcl_value(v) for k, v in value.items() if not k.startswith("__")}
    if isinstance(value, list):
        return [_hcl_value(v) for v in value]
    if isinstance(value, str):
        return _unquote(value)
    return value


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        try:
            loaded = json.loads(text)
        except ValueError:
            return text[1:-1]
        return loaded if isinstance(loaded, str) else text
    return text


def _bodies(value: Any) -> list[dict[str, Any]]:
    """A block body in JSON syntax is an object or a list of objects."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, dict)]


def _read_document(config: StackConfig, doc: dict[str, Any], where: str) -> None:
    if "import" in doc:
        raise NotMergeable(f"{where} has import blocks, which only a root module may hold")
    for terraform in _bodies(doc.get("terraform") or []):
        _read_terraform(config, terraform, where)
    for name, bodies in (doc.get("provider") or {}).items():
        for body in _bodies(bodies):
            alias = body.get("alias")
            args = {k: v for k, v in body.items() if k not in ("alias", "//")}
            block = ProviderBlock(name=name, alias=str(alias) if alias else None, args=args)
            config.providers.append(block)
            config.provider_refs.add(block.ref)
    for name, bodies in (doc.get("variable") or {}).items():
        body = (_bodies(bodies) or [{}])[0]
        type_ = body.get("type")
        config.variables[name] = Variable(
            name=name,
            type=str(type_) if type_ is not None else None,
            sensitive=bool(body.get("sensitive", False)),
            has_default="default" in body,
            default=body.get("default"),
        )
    for name, bodies in (doc.get("output") or {}).items():
        body = (_bodies(bodies) or [{}])[0]
        config.outputs[name] = bool(body.get("sensitive", False))
    for name, bodies in (doc.get("module") or {}).items():
        config.modules[name] = (_bodies(bodies) or [{}])[0]
        for ref in ((_bodies(bodies) or [{}])[0].get("providers") or {}).values():
            config.provider_refs.add(_strip_expression(str(ref)))
    for kind in ("resource", "data"):
        for type_, named in (doc.get(kind) or {}).items():
            for _name, bodies in (named or {}).items():
                for body in _bodies(bodies):
                    ref = body.get("provider")
                    config.provider_refs.add(
                        _strip_expression(str(ref)) if ref else type_.split("_", 1)[0]
                    )
                    if kind == "data" and type_ == "terraform_remote_state":
                        config.remote_states.append(body)
    for ref in list(config.provider_refs):
        if ref == "terraform":  # the built-in provider (terraform_data, terraform_remote_state)
            config.provider_refs.discard(ref)


def _read_terraform(config: StackConfig, block: dict[str, Any], where: str) -> None:
    if block.get("cloud"):
        raise NotMergeable(f"{where} uses HCP Terraform (cloud block): its state stays there")
    for entry in _bodies(block.get("required_providers") or []):
        for name, spec in entry.items():
            if name == "//":
                continue
            if isinstance(spec, str):  # the legacy `aws = "~> 5.0"` form
                spec = {"version": spec}
            if isinstance(spec, dict):
                config.requirements[name] = {
                    k: str(v) for k, v in spec.items() if k in ("source", "version")
                }
    backends = block.get("backend")
    if backends:
        for entry in _bodies(backends):
            for type_, body in entry.items():
                config.backend = (type_, (_bodies(body) or [{}])[0])


def _strip_expression(text: str) -> str:
    text = text.strip()
    if text.startswith("${") and text.endswith("}"):
        return text[2:-1].strip()
    return text


def _full_source(source: str) -> str:
    parts = source.split("/")
    if len(parts) == 2:
        return f"registry.terraform.io/{source}".lower()
    return source.lower()


# -- variables ----------------------------------------------------------------------------------


def _variable_value(name: str, variables: Mapping[str, Any], where: str) -> Any:
    if name not in variables:
        raise NotMergeable(f"{where} uses var.{name}, which has no value")
    return variables[name]


def _env_value(raw: str, variable: Variable) -> Any:
    simple = variable.type is None or _strip_expression(variable.type) in (
        "string",
        "number",
        "bool",
        "any",
    )
    if simple:
        return raw
    import hcl2
    from lark.exceptions import LarkError

    try:
        parsed = hcl2.loads(f"value = {raw}\n")
    except (LarkError, ValueError):
        raise NotMergeable(f"TF_VAR_{variable.name} is not a valid HCL value") from None
    return _literal(_hcl_value(parsed.get("value")), f"TF_VAR_{variable.name}")


def _tfvars_files(folder: Path) -> Iterator[Path]:
    for name in ("terraform.tfvars", "terraform.tfvars.json"):
        if (folder / name).is_file():
            yield folder / name
    yield from sorted(
        p for p in folder.iterdir() if p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))
    )


def _read_tfvars(path: Path) -> dict[str, Any]:
    text = path.read_text()
    if path.name.endswith(".json"):
        try:
            values = json.loads(text)
        except ValueError as exc:
            raise NotMergeable(f"{path.name} is not valid JSON: {exc}") from None
        return values if isinstance(values, dict) else {}
    import hcl2
    from lark.exceptions import LarkError

    try:
        parsed = hcl2.loads(text)
    except (LarkError, ValueError):
        raise NotMergeable(f"{path.name} cannot be parsed") from None
    return {
        _unquote(k): _literal(_hcl_value(v), path.name)
        for k, v in parsed.items()
        if not k.startswith("__")
    }


def _literal(value: Any, where: str) -> Any:
    if isinstance(value, dict):
        return {k: _literal(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal(v, where) for v in value]
    if isinstance(value, str) and ("${" in value or "%{" in value):
        raise NotMergeable(f"{where} holds an expression the merged root cannot evaluate")
    return value


# -- top-level block spans ----------------------------------------------------------------------

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _top_level_blocks(text: str) -> Iterator[tuple[str, int, int]]:
    """(block kind, start offset, end offset) of every top-level block in HCL `text`."""
    i, n = 0, len(text)
    line_start = True
    while i < n:
        char = text[i]
        if char == "\n":
            line_start = True
            i += 1
            continue
        if char in " \t\r":
            i += 1
            continue
        if char == "#" or text.startswith("//", i):
            i = _line_end(text, i)
            continue
        if text.startswith("/*", i):
            i = _comment_end(text, i)
            continue
        match = _IDENT.match(text, i) if line_start else None
        line_start = False
        if match is None:
            i = _skip_token(text, i)
            continue
        kind = match.group(0)
        j = match.end()
        # Labels, then `{` for a block; anything else (`=`) is an attribute.
        while True:
            while j < n and text[j] in " \t":
                j += 1
            if j < n and text[j] == '"':
                j = _string_end(text, j)
            elif j < n and (label := _IDENT.match(text, j)):
                j = label.end()
            else:
                break
        if j < n and text[j] == "{":
            end = _brace_end(text, j)
            yield kind, i, end
            i = end
        else:
            i = _line_end(text, j) if j < n and text[j] != "=" else _attribute_end(text, j)


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _comment_end(text: str, i: int) -> int:
    end = text.find("*/", i + 2)
    return len(text) if end < 0 else end + 2


def _string_end(text: str, i: int) -> int:
    """Offset after the string starting at `text[i] == '"'`, across ${...} interpolations."""
    j = i + 1
    n = len(text)
    while j < n:
        char = text[j]
        if char == "\\":
            j += 2
            continue
        if char == '"':
            return j + 1
        if text.startswith("${", j) or text.startswith("%{", j):
            if j > 0 and text[j - 1] == text[j] and text.startswith(("$${", "%%{"), j - 1):
                j += 2
                continue
            j = _brace_end(text, j + 1)
            continue
        j += 1
    return n


def _heredoc_end(text: str, i: int) -> int:
    match = re.compile(r"<<-?\s*([A-Za-z_][A-Za-z0-9_]*)[^\n]*\n").match(text, i)
    if match is None:
        return i + 2
    marker = re.compile(rf"^\s*{re.escape(match.group(1))}\s*$", re.MULTILINE)
    found = marker.search(text, match.end())
    return len(text) if found is None else found.end()


def _brace_end(text: str, i: int) -> int:
    """Offset after the `}` matching the `{` at `text[i]`."""
    depth = 0
    j, n = i, len(text)
    while j < n:
        char = text[j]
        if char == '"':
            j = _string_end(text, j)
            continue
        if char == "#" or text.startswith("//", j):
            j = _line_end(text, j)
            continue
        if text.startswith("/*", j):
            j = _comment_end(text, j)
            continue
        if text.startswith("<<", j):
            j = _heredoc_end(text, j)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return n


def _attribute_end(text: str, i: int) -> int:
    """Offset after a top-level attribute (`name = value`), across brackets and strings."""
    depth = 0
    j, n = i, len(text)
    while j < n:
        char = text[j]
        if char == '"':
            j = _string_end(text, j)
            continue
        if text.startswith("<<", j):
            j = _heredoc_end(text, j)
            continue
        if char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        elif char == "\n" and depth <= 0:
            return j
        j += 1
    return n


def _skip_token(text: str, i: int) -> int:
    if text[i] == '"':
        return _string_end(text, i)
    if text[i] == "{":
        return _brace_end(text, i)
    return i + 1
