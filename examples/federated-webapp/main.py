#!/usr/bin/env python
"""A web app across three sandbox providers: assets in France, the server in Germany, DNS in
the Netherlands pointing at the server's address (a cross-stack reference).

Run it any of these ways (start the sandbox first: `fedstack sandbox up`):
    python main.py                   # writes cdktf.out/ (or $CDKTF_OUTDIR)
    fedstack synth .                 # the same, plus a table of the stacks
    npx cdktf synth                  # cdktf-cli reads cdktf.json and runs this file
    fedstack plan-placement .        # where each component goes, and why not elsewhere
    fedstack deploy . && fedstack destroy .

Settings from the environment: FEDSTACK_POLICY (a preset or a policy file; default
eu-sovereign), FEDSTACK_BRIDGE_URL (state in the bridge; unset: local state),
WEBAPP_ZONE (the DNS zone, which must exist at the DNS provider; default webapp.example.eu).
"""

import os

from fedstack.cdk import Compute, DnsRecord, FederatedApp, Network, ObjectStore, Workload


def build(app: FederatedApp) -> Workload:
    """The workload: storage, network, server and DNS, spread over three providers."""
    web = Workload(app, "webapp", spread=3, labels={"team": "platform"})
    assets = ObjectStore(web, "assets", versioning=True, force_destroy=True, prefer=["sandbox-fr"])
    net = Network(web, "net", cidr="10.20.0.0/16", prefer=["sandbox-de"], not_with=[assets])
    server = Compute(web, "server", network=net, size="s", image="debian-12")
    DnsRecord(
        web,
        "www",
        zone=os.environ.get("WEBAPP_ZONE", "webapp.example.eu"),
        name="www",
        target=server,
        not_with=[assets, server],
    )
    return web


if __name__ == "__main__":
    app = FederatedApp(project="webapp", policy=os.environ.get("FEDSTACK_POLICY", "eu-sovereign"))
    build(app)
    app.synth()
