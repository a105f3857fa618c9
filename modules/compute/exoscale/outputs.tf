output "instance_id" {
  description = "Provider identifier of the instance."
  value       = exoscale_compute_instance.this.id
}

output "private_ip" {
  description = "Private IPv4 address of the instance in its network; empty when the provider does not report it."
  value       = var.private_ip == null ? "" : var.private_ip
}

output "public_ip" {
  description = "Public IPv4 address of the instance; empty when it has none."
  value       = exoscale_compute_instance.this.public_ip_address == null ? "" : exoscale_compute_instance.this.public_ip_address
}
