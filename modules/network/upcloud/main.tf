# An UpCloud SDN private network in one zone, with DHCP on its one IPv4 range.
# UpCloud networks take no labels.

resource "upcloud_network" "this" {
  name = var.name
  zone = var.location

  ip_network {
    address = var.cidr
    dhcp    = true
    family  = "IPv4"
  }

  # UpCloud Kubernetes attaches a router to a network it uses; leave that to it.
  lifecycle {
    ignore_changes = [router]
  }
}
