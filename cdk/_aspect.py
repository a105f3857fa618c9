"""Synth-time enforcement: every component and stack is checked against the policy again.

Placement already refuses what the policy forbids, but a provider/region set by hand bypasses
it; this Aspect refuses such a tree at synth with the rule and the construct path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jsii
from fedstack.cdk._lib import IAspect
from fedstack.cdk._model import Placement, PolicyViolation

if TYPE_CHECKING:
    from fedstack.cdk._app import FederatedApp

__all__ = ["PolicyAspect"]


@jsii.implements(IAspect)
class PolicyAspect:
    """Refuses any node carrying a placement that the app's policy does not pass."""

    def __init__(self, app: FederatedApp) -> None:
        self._app = app

    def visit(self, node: Any) -> None:
        """Check one construct; raise PolicyViolation (recorded on the app) when it breaks the policy."""
        placement = getattr(node, "placement", None)
        if not isinstance(placement, Placement):
            return
        check = self._app.policy.check_placement(
            self._app.catalog, placement.provider, placement.region
        )
        if check.passed:
            return
        finding = check.failures()[0]
        violation = PolicyViolation(
            f"{_culprit(node).node.path}: {placement.provider}/{placement.region} breaks policy "
            f"{self._app.policy.name!r}: rule {finding.rule_id} {finding.outcome.value}: "
            f"{finding.message}"
        )
        # jsii turns an exception raised here into a plain RuntimeError; the app re-raises this.
        self._app.violations.append(violation)
        raise violation


def _culprit(node: Any) -> Any:
    """The construct to name: a stack's first component (what the user wrote), else the node."""
    for child in node.node.children:
        if isinstance(getattr(child, "placement", None), Placement):
            return child
    return node
