output "network_id" {
  description = "Provider identifier of the network; the network_id input of compute and kubernetes."
  value       = stackit_network.this.network_id
}

output "subnet_id" {
  description = "Provider identifier of the subnet: a STACKIT network has one IPv4 prefix and no subnet object, so the network ID."
  value       = stackit_network.this.network_id
}

output "cidr" {
  description = "IPv4 range of the network in CIDR notation."
  value       = var.cidr
}
