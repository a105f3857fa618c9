output "network_id" {
  description = "OpenStack ID of the private network in the region: what instances and Kubernetes clusters attach to."
  value       = local.openstack_id
}

output "subnet_id" {
  description = "Provider identifier of the subnet."
  value       = ovh_cloud_project_network_private_subnet.this.id
}

output "cidr" {
  description = "IPv4 range of the network in CIDR notation."
  value       = ovh_cloud_project_network_private_subnet.this.network
}
