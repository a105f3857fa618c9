"""Imports: the bridge starts without Node (nothing on its import path pulls in cdktf or jsii),
and no product code imports another package's private (leading-underscore) module.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

_CHECK = """
import sys
import fedstack.bridge, fedstack.cli
light = sorted(m for m in ("fastapi", "sqlalchemy", "uvicorn", "cdktf", "jsii") if m in sys.modules)
from fedstack.bridge import create_app, BridgeClient
import fedstack.bridge.store
heavy = sorted(m for m in ("cdktf", "jsii", "constructs") if m in sys.modules)
print(light, heavy)
"""


def test_bridge_and_cli_import_without_cdktf_and_lazily() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _CHECK], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[] []"


# -- no cross-package import of a private module ---------------------------------------------

_REPO = Path(__file__).resolve().parents[2]
_PRODUCT = {
    "src/fedstack": "fedstack",
    "cdk": "fedstack.cdk",
    "bridge": "fedstack.bridge",
    "examples/federated-webapp": "fedstack._demo_app",
}
"""Product code folders and the package each ships as (pyproject's package-dir); tests excluded."""


def _modules(root: Path, folders: dict[str, str]) -> dict[Path, tuple[str, bool]]:
    """Every product .py file: (its dotted module name, whether it is a package's __init__)."""
    found = {}
    for folder, package in folders.items():
        base = root / folder
        for path in base.rglob("*.py"):
            if {"node_modules", ".venv", "cdktf.out"} & set(path.parts):
                continue
            parts = list(path.relative_to(base).with_suffix("").parts)
            is_init = parts[-1] == "__init__"
            found[path] = (".".join([package, *(parts[:-1] if is_init else parts)]), is_init)
    return found


def _imported(node: ast.Import | ast.ImportFrom, package: str, known: set[str]) -> list[str]:
    """The absolute module names an import statement loads (relative imports resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    source = node.module or ""
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        source = ".".join([*base, *([node.module] if node.module else [])])
    # `from fedstack.bridge import _crypto` loads the private module too.
    return [source] + [f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in known]


def private_imports(root: Path, folders: dict[str, str]) -> list[str]:
    """`file:line imports pkg._private` for each import of a leading-underscore module of a
    package from outside that package (its subpackages count as inside)."""
    modules = _modules(root, folders)
    known = {name for name, _ in modules.values()}
    found: list[tuple[Path, int, str]] = []
    for path, (module, is_init) in sorted(modules.items()):
        package = module if is_init else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _imported(node, package, known):
                parts = name.split(".")
                private = next(
                    (
                        i
                        for i, p in enumerate(parts)
                        if p.startswith("_") and not p.startswith("__")
                    ),
                    None,
                )
                if parts[0] != "fedstack" or private is None:
                    continue
                owner = ".".join(parts[:private])
                if module != owner and not module.startswith(owner + "."):
                    found.append((path, node.lineno, name))
    return [f"{path.relative_to(root)}:{line} imports {name}" for path, line, name in sorted(found)]


def test_no_product_code_imports_another_packages_private_module() -> None:
    """What one package uses of another is exported on purpose, in that package's __init__."""
    assert private_imports(_REPO, _PRODUCT) == []


def test_the_private_import_check_finds_a_cross_package_import(tmp_path: Path) -> None:
    """The check above can fail: a CLI module reaching into policy._resolve is reported; the
    policy package using its own private module, or a subpackage its parent's, is not."""
    files = {
        "fedstack/__init__.py": "",
        "fedstack/cli/__init__.py": "",
        "fedstack/cli/_run.py": (
            "def f():\n    from fedstack.policy._resolve import resolve\n"
            "from fedstack.policy import _resolve\nfrom fedstack.policy import check\n"
        ),
        "fedstack/policy/__init__.py": "from fedstack.policy._resolve import check\n",
        "fedstack/policy/_resolve.py": "from . import _rules\n",
        "fedstack/policy/_rules.py": "",
        "fedstack/policy/sub/__init__.py": "from fedstack.policy._rules import x\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert private_imports(tmp_path, {"fedstack": "fedstack"}) == [
        "fedstack/cli/_run.py:2 imports fedstack.policy._resolve",
        "fedstack/cli/_run.py:3 imports fedstack.policy._resolve",
    ]
