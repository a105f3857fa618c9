terraform {
  required_version = ">= 1.8" # provider functions

  required_providers {
    # The address `fedstack provider install` prints; no registry is involved.
    fedstack = {
      source = "fedstack.local/fedstack/fedstack"
    }
  }
}

# bridge_url and token come from FEDSTACK_BRIDGE_URL and FEDSTACK_BRIDGE_TOKEN (or
# TF_HTTP_PASSWORD); a read token is enough for this root.
provider "fedstack" {}
