output "instance_id" {
  description = "Provider identifier of the instance."
  value       = stackit_server.this.server_id
}

output "private_ip" {
  description = "Private IPv4 address of the instance in its network; empty when the provider does not report it."
  value       = stackit_network_interface.this.ipv4
}

output "public_ip" {
  description = "Public IPv4 address of the instance; empty when it has none."
  value       = try(stackit_public_ip.this[0].ip, "")
}
