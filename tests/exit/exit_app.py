"""The app the exit end-to-end test deploys: everything at sandbox-fr but its DNS record.

Storage, network and server prefer sandbox-fr; the record (at sandbox-nl) points at the
server's address through a cross-stack reference, so leaving sandbox-fr re-points it.
"""

import os

from fedstack.cdk import Compute, DnsRecord, FederatedApp, Network, ObjectStore, Workload

from fedstack.catalog import load_catalog

catalog = load_catalog()
sandbox = {n: p for n, p in catalog.providers.items() if p.kind == "sandbox"}
app = FederatedApp(
    project="exitshop",
    policy=os.environ.get("FEDSTACK_POLICY", "eu-data-residency"),
    catalog=catalog.model_copy(update={"providers": sandbox}),
)
shop = Workload(app, "shop")
ObjectStore(shop, "data", force_destroy=True, prefer=["sandbox-fr"])
net = Network(shop, "net", cidr="10.30.0.0/16", prefer=["sandbox-fr"])
server = Compute(shop, "server", network=net, size="s", image="debian-12")
DnsRecord(shop, "www", zone="exit.example.eu", name="www", target=server, prefer=["sandbox-nl"])
app.synth()
