"""fedstack.cdk: CDKTF constructs that turn one workload into federated stacks.

The only part of fedstack that imports cdktf (or cdktn) and needs Node.js; which of the two
is decided once per process by `fedstack.cdk._lib` (FEDSTACK_CDK).

    app = FederatedApp(project="shop", policy="eu-sovereign")
    shop = Workload(app, "shop", spread=2)
    net = Network(shop, "net", prefer=["sandbox-de"])
    web = Compute(shop, "web", network=net, size="s")
    DnsRecord(shop, "www", zone="shop.example.eu", name="www", target=web, not_with=[web])
    app.synth()

Wrap a script's `__main__` block in `one_line_errors()` so that a missing sandbox or a bad
setting is one `fedstack: error: ...` line and exit 1 under `python main.py` and `cdktf synth`.
"""

from fedstack.cdk._app import DEFAULT_POLICY, FederatedApp, placement_only
from fedstack.cdk._components import (
    Component,
    Compute,
    DnsRecord,
    KubernetesCluster,
    Network,
    ObjectStore,
)
from fedstack.cdk._lib import CdkLibraryError, library_name
from fedstack.cdk._model import Placement, PolicyViolation
from fedstack.cdk._stack import FederatedStack
from fedstack.cdk._workload import Workload

from fedstack.placement import PlacementError
from fedstack.stacks import one_line_errors

__all__ = [
    "DEFAULT_POLICY",
    "CdkLibraryError",
    "Component",
    "Compute",
    "DnsRecord",
    "FederatedApp",
    "FederatedStack",
    "KubernetesCluster",
    "Network",
    "ObjectStore",
    "Placement",
    "PlacementError",
    "PolicyViolation",
    "Workload",
    "library_name",
    "one_line_errors",
    "placement_only",
]
