# A Hetzner Cloud network with one cloud subnet in the network zone of the location.

locals {
  # Hetzner subnets live in a network zone, not a location.
  network_zones = {
    fsn1 = "eu-central"
    nbg1 = "eu-central"
    hel1 = "eu-central"
    ash  = "us-east"
    hil  = "us-west"
    sin  = "ap-southeast"
  }
}

resource "hcloud_network" "this" {
  name     = var.name
  ip_range = var.cidr
  labels   = var.labels
}

resource "hcloud_network_subnet" "this" {
  network_id   = hcloud_network.this.id
  type         = "cloud"
  network_zone = local.network_zones[var.location]
  ip_range     = coalesce(var.subnet_cidr, var.cidr)
}
