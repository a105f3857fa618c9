# A STACKIT network with the given IPv4 prefix, routed to the internet through the project.

resource "stackit_network" "this" {
  project_id  = var.project_id
  name        = var.name
  ipv4_prefix = var.cidr
  routed      = true
  labels      = var.labels
}
