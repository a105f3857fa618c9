"""Placement: choose a provider and region for each component of a workload, and say why.

Pure Python (catalog + policy engine): must not import cdktf, jsii or the web framework, so
`fedstack plan-placement` and the bridge can use it without Node.js.
"""

from fedstack.placement._engine import Placer
from fedstack.placement._model import (
    STAGES,
    Candidate,
    ComponentRequest,
    Decision,
    PlacementError,
    Reason,
    Requirements,
)

__all__ = [
    "STAGES",
    "Candidate",
    "ComponentRequest",
    "Decision",
    "PlacementError",
    "Placer",
    "Reason",
    "Requirements",
]
