output "instance_id" {
  description = "Provider identifier of the instance."
  value       = scaleway_instance_server.this.id
}

output "private_ip" {
  description = "Private IPv4 address of the instance in its network; empty when the provider does not report it."
  value       = try(data.scaleway_ipam_ip.private.address, "")
}

output "public_ip" {
  description = "Public IPv4 address of the instance; empty when it has none."
  value       = try(scaleway_instance_ip.this[0].address, "")
}
