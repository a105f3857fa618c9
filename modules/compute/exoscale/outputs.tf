output "instance_id" {
  description = "Provider identifier of the instance."
  value       = exoscale_compute_instance.this.id
}

output "private_ip" {
  description = "Private IPv4 address of the instance in its network; empty when the provider does not report it."
  value       = coalesce(var.private_ip, "")
}

output "public_ip" {
  description = "Public IPv4 address of the instance; empty when it has none."
  value       = coalesce(exoscale_compute_instance.this.public_ip_address, "")
}
