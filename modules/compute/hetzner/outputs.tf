output "instance_id" {
  description = "Provider identifier of the instance."
  value       = hcloud_server.this.id
}

output "private_ip" {
  description = "Private IPv4 address of the instance in its network; empty when the provider does not report it."
  value       = hcloud_server_network.this.ip
}

output "public_ip" {
  description = "Public IPv4 address of the instance; empty when it has none."
  value       = hcloud_server.this.ipv4_address == null ? "" : hcloud_server.this.ipv4_address
}
