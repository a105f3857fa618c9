output "network_id" {
  description = "Provider identifier of the network; the network_id input of compute and kubernetes."
  value       = exoscale_private_network.this.id
}

output "subnet_id" {
  description = "Provider identifier of the subnet: Exoscale private networks have no separate subnet, so the network ID."
  value       = exoscale_private_network.this.id
}

output "cidr" {
  description = "IPv4 range of the network in CIDR notation."
  value       = var.cidr
}
