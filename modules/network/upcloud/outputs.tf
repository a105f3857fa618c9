output "network_id" {
  description = "Provider identifier of the network; the network_id input of compute and kubernetes."
  value       = upcloud_network.this.id
}

output "subnet_id" {
  description = "Provider identifier of the subnet: an UpCloud SDN network holds exactly one IP network, so the network ID."
  value       = upcloud_network.this.id
}

output "cidr" {
  description = "IPv4 range of the network in CIDR notation."
  value       = upcloud_network.this.ip_network[0].address
}
