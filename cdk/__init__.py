"""fedstack.cdk: CDKTF constructs that turn one workload into federated stacks.

The only part of fedstack that imports cdktf (or cdktn) and needs Node.js.
"""

__all__: list[str] = []
