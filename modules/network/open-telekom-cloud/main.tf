# A VPC with one subnet. The network_id output waits for the subnet, since compute and
# kubernetes attach to the VPC's subnet.

locals {
  subnet_cidr = coalesce(var.subnet_cidr, var.cidr)
}

resource "opentelekomcloud_vpc_v1" "this" {
  name = var.name
  cidr = var.cidr
  tags = var.labels
}

resource "opentelekomcloud_vpc_subnet_v1" "this" {
  name       = var.name
  vpc_id     = opentelekomcloud_vpc_v1.this.id
  cidr       = local.subnet_cidr
  gateway_ip = cidrhost(local.subnet_cidr, 1)
  dns_list   = var.dns_servers
  tags       = var.labels
}
