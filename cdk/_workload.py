"""Workload: a named set of components, placed under the app's policy, spread over stacks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from constructs import Construct
from fedstack.cdk._model import check_name
from fedstack.cdk._stack import FederatedStack

from fedstack.placement import ComponentRequest, Decision, PlacementError, Placer

if TYPE_CHECKING:
    from fedstack.cdk._app import FederatedApp

__all__ = ["Workload"]


class Workload(Construct):
    """One workload: its components are placed one by one and land in one stack per placement.

    `spread` asks for at least that many distinct providers across the workload's components.
    """

    def __init__(
        self,
        app: FederatedApp,
        id: str,
        *,
        spread: int = 1,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(app, check_name("workload", id))
        self.federated_app = app
        self.workload_name = id
        self.labels = dict(labels or {})
        self.placer = Placer(
            app.catalog,
            app.policy,
            workload=id,
            spread=spread,
            checks=app.policy_checks,
            exclude=app.exclude,
        )
        self.stacks: dict[tuple[str, str], FederatedStack] = {}
        app.workloads.append(self)

    def place(self, request: ComponentRequest) -> Decision:
        """Place one component (PlacementError when nothing fits; the plan so far is kept)."""
        try:
            return self.placer.place(request)
        except PlacementError:
            self.federated_app.write_placement_if_asked()
            raise

    def stack_for(self, provider: str, region: str) -> FederatedStack:
        """The workload's stack at `provider`/`region`, created on first use."""
        key = (provider, region)
        if key not in self.stacks:
            self.stacks[key] = FederatedStack(
                self.federated_app, workload=self.workload_name, provider=provider, region=region
            )
        return self.stacks[key]
