# An Exoscale managed private network: Exoscale hands out addresses by DHCP between start_ip
# and end_ip of the range; there is no separate subnet object.

resource "exoscale_private_network" "this" {
  zone     = var.location
  name     = var.name
  netmask  = cidrnetmask(var.cidr)
  start_ip = cidrhost(var.cidr, 10)
  end_ip   = cidrhost(var.cidr, -2)
  labels   = var.labels
}
