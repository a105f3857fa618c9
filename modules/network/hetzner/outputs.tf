output "network_id" {
  description = "Provider identifier of the network; the network_id input of compute and kubernetes."
  value       = hcloud_network.this.id
}

output "subnet_id" {
  description = "Provider identifier of the subnet."
  value       = hcloud_network_subnet.this.id
}

output "cidr" {
  description = "IPv4 range of the network in CIDR notation."
  value       = hcloud_network.this.ip_range
}
