# A Scaleway private network (regional) with one IPv4 subnet, in a VPC.

locals {
  # Scaleway tags are plain strings; labels become "key=value".
  tags = [for key, value in var.labels : "${key}=${value}"]
}

resource "scaleway_vpc" "this" {
  count = var.vpc_id == null ? 1 : 0

  name   = var.name
  region = var.location
  tags   = local.tags
}

resource "scaleway_vpc_private_network" "this" {
  name   = var.name
  region = var.location
  vpc_id = var.vpc_id != null ? var.vpc_id : scaleway_vpc.this[0].id
  tags   = local.tags

  ipv4_subnet {
    subnet = var.cidr
  }
}
