"""`provider::fedstack::region_allowed(policy, provider, region)`: the policy's verdict as a bool."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tf.function import CallContext, Function, FunctionSignature, Parameter, Return

from fedstack.provider._diagnostics import message_of
from fedstack.provider._types import BOOL, STRING

if TYPE_CHECKING:
    from fedstack.provider._server import FedstackProvider

__all__ = ["FUNCTIONS"]


class RegionAllowed(Function):
    """True when every rule of the policy passes for the provider and region (unknown is false)."""

    def __init__(self, provider: FedstackProvider) -> None:
        self.context = provider.context

    @classmethod
    def get_name(cls) -> str:
        return "region_allowed"

    @classmethod
    def get_signature(cls) -> FunctionSignature:
        return FunctionSignature(
            parameters=[
                Parameter("policy", STRING, "A preset name or a policy YAML path."),
                Parameter("provider", STRING, "Catalog provider name."),
                Parameter("region", STRING, "Catalog region of that provider."),
            ],
            return_type=Return(BOOL),
            summary="Whether a policy allows a provider and region",
            description="True when every rule of the policy passes there.",
        )

    def call(self, ctx: CallContext, arguments: list[Any]) -> Any:
        policy_name, provider, region = arguments
        try:
            policy = self.context.policy(policy_name)
            self.context.region(provider, region)
            return policy.check_placement(self.context.catalog(), provider, region).passed
        except Exception as exc:  # a function error, never a traceback
            summary, detail = message_of(exc)
            ctx.diagnostics.add_error(f"{summary}: {detail}" if detail else summary)
            return None


FUNCTIONS: list[type[Function]] = [RegionAllowed]
