output "instance_id" {
  description = "Provider identifier of the instance."
  value       = upcloud_server.this.id
}

output "private_ip" {
  description = "Private IPv4 address of the instance in its network; empty when the provider does not report it."
  value       = one([for nic in upcloud_server.this.network_interface : nic.ip_address if nic.type == "private"])
}

output "public_ip" {
  description = "Public IPv4 address of the instance; empty when it has none."
  value       = join("", [for nic in upcloud_server.this.network_interface : nic.ip_address if nic.type == "public"])
}
