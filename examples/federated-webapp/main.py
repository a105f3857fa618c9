#!/usr/bin/env python
"""A web app across three sandbox providers: assets in France, the server in Germany, DNS in
the Netherlands pointing at the server's address (a cross-stack reference).

Run it any of these ways (start the sandbox first: `fedstack sandbox up`):
    python main.py                   # writes cdktf.out/ (or $CDKTF_OUTDIR)
    fedstack synth .                 # the same, plus a table of the stacks
    npx cdktf synth                  # cdktf-cli reads cdktf.json and runs this file
    fedstack plan-placement .        # where each component goes, and why not elsewhere
    fedstack deploy . && fedstack destroy .

Settings from the environment: WEBAPP_TARGET (`sandbox`, the default: only the sandbox
providers of the catalog; `cloud`: only the real providers, whose credentials Terraform reads
from the environment), FEDSTACK_POLICY (a preset or a policy file; default eu-sovereign),
FEDSTACK_BRIDGE_URL (state in the bridge; unset: local state), WEBAPP_ZONE (the DNS zone,
which must exist at the DNS provider; default webapp.example.eu).

Without a running sandbox (or with FEDSTACK_BRIDGE_URL set and no bridge answering there) it
stops with one line that says what is missing and how to start it, and exit 1.
"""

import os

from fedstack.cdk import (
    Compute,
    DnsRecord,
    FederatedApp,
    Network,
    ObjectStore,
    Workload,
    one_line_errors,
)

from fedstack import config
from fedstack.catalog import Catalog, load_catalog
from fedstack.errors import ConfigError

# Where each target would rather put the assets and the network; placement (under the policy)
# still decides, and says why. The assets' second choice is where they go if the app leaves
# their first (`fedstack exit sandbox-fr`): the server and the DNS record then stay put.
PREFER = {
    "sandbox": {"assets": ["sandbox-fr", "sandbox-it"], "net": ["sandbox-de"]},
    "cloud": {"assets": ["scaleway"], "net": ["ionos"]},
}


def target() -> str:
    """WEBAPP_TARGET: `sandbox` (default) or `cloud`."""
    value = os.environ.get("WEBAPP_TARGET", "sandbox")
    if value not in PREFER:
        raise SystemExit(f"WEBAPP_TARGET={value!r}: use one of {', '.join(PREFER)}")
    return value


def catalog_for(chosen: str) -> Catalog:
    """The catalog selection of a target: its sandbox providers, or its real (cloud) ones."""
    catalog = load_catalog()
    kind = "sandbox" if chosen == "sandbox" else "cloud"
    kept = {name: p for name, p in catalog.providers.items() if p.kind == kind}
    return catalog.model_copy(update={"providers": kept})


def build(app: FederatedApp, chosen: str = "sandbox") -> Workload:
    """The workload: storage, network, server and DNS records, spread over three providers."""
    prefer = PREFER[chosen]
    web = Workload(app, "webapp", spread=3, labels={"team": "platform"})
    assets = ObjectStore(
        web, "assets", versioning=True, force_destroy=True, prefer=prefer["assets"]
    )
    net = Network(web, "net", cidr="10.20.0.0/16", prefer=prefer["net"], not_with=[assets])
    server = Compute(web, "server", network=net, size="s", image="debian-12")
    zone = os.environ.get("WEBAPP_ZONE", "webapp.example.eu")
    DnsRecord(web, "www", zone=zone, name="www", target=server, not_with=[assets, server])
    # Where the assets live, for clients that fetch them directly: a TXT record that reads the
    # bucket's outputs, so it follows the bucket when the bucket moves (`fedstack exit`).
    DnsRecord(
        web,
        "assets-txt",
        zone=zone,
        name="_assets",
        type="TXT",
        records=[f"endpoint={assets.endpoint} bucket={assets.bucket_name}"],
        not_with=[assets, server],
    )
    return web


def check_bridge() -> None:
    """With FEDSTACK_BRIDGE_URL set, every stack keeps its state there: it must answer now."""
    url = config.bridge_url()
    if url is None:
        return
    from fedstack.client import BridgeClient

    with BridgeClient(url, timeout=10) as bridge:
        problem = bridge.problem()
    if problem:
        raise ConfigError(
            f"FEDSTACK_BRIDGE_URL={url}: {problem}; start one with `fedstack bridge serve` "
            "(or unset FEDSTACK_BRIDGE_URL to keep the state in local files)"
        )


if __name__ == "__main__":
    with one_line_errors():  # a missing sandbox or bridge: one line and exit 1, no traceback
        chosen = target()
        check_bridge()
        app = FederatedApp(
            project="webapp",
            policy=os.environ.get("FEDSTACK_POLICY", "eu-sovereign"),
            catalog=catalog_for(chosen),
        )
        build(app, chosen)
        app.synth()
