output "network_id" {
  description = "Provider identifier of the network; the network_id input of compute and kubernetes."
  value       = scaleway_vpc_private_network.this.id
}

output "subnet_id" {
  description = "Provider identifier of the subnet."
  value       = scaleway_vpc_private_network.this.ipv4_subnet[0].id
}

output "cidr" {
  description = "IPv4 range of the network in CIDR notation."
  value       = scaleway_vpc_private_network.this.ipv4_subnet[0].subnet
}
