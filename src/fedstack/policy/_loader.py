"""Load a policy by preset name or from a YAML file; errors name the file and the key."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from fedstack.policy._errors import PolicyError
from fedstack.policy._policy import Policy
from fedstack.policy._presets import PRESETS
from fedstack.policy._validation import describe

__all__ = ["load_policy"]


def load_policy(name_or_path: str | Path) -> Policy:
    """A preset by name (such as `eu-data-residency`) or a policy YAML file by path."""
    if isinstance(name_or_path, str) and name_or_path in PRESETS:
        return PRESETS[name_or_path]
    path = Path(name_or_path)
    if not path.exists():
        raise PolicyError(
            f"{name_or_path}: neither a preset ({', '.join(PRESETS)}) nor a policy file"
        )
    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read the policy: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: not valid YAML: {_one_line(str(exc))}") from exc
    if not isinstance(raw, dict) or "rules" not in raw:
        raise PolicyError(f"{path}: a policy must be a mapping with a 'rules' list")
    raw.setdefault("name", path.stem)
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        raise PolicyError(f"{path}: {describe(exc)}") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())
