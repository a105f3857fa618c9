output "instance_id" {
  description = "Provider identifier of the instance."
  value       = openstack_compute_instance_v2.this.id
}

output "private_ip" {
  description = "Private IPv4 address of the instance in its network; empty when the provider does not report it."
  value       = one([for nic in openstack_compute_instance_v2.this.network : nic.fixed_ip_v4 if nic.uuid == var.network_id])
}

output "public_ip" {
  description = "Public IPv4 address of the instance; empty when it has none."
  value       = join("", [for nic in openstack_compute_instance_v2.this.network : nic.fixed_ip_v4 if nic.name == "Ext-Net"])
}
