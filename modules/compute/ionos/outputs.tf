output "instance_id" {
  description = "Provider identifier of the instance."
  value       = ionoscloud_server.this.id
}

output "private_ip" {
  description = "Private IPv4 address of the instance in its network; empty when the provider does not report it."
  value       = ionoscloud_server.this.primary_ip
}

output "public_ip" {
  description = "Public IPv4 address of the instance; empty when it has none."
  value       = try(ionoscloud_nic.public[0].ips[0], "")
}
