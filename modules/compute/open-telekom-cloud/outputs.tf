output "instance_id" {
  description = "Provider identifier of the instance."
  value       = opentelekomcloud_ecs_instance_v1.this.id
}

output "private_ip" {
  description = "Private IPv4 address of the instance in its network; empty when the provider does not report it."
  value       = opentelekomcloud_ecs_instance_v1.this.nics[0].ip_address
}

output "public_ip" {
  description = "Public IPv4 address of the instance; empty when it has none."
  value       = try(opentelekomcloud_vpc_eip_v1.this[0].publicip[0].ip_address, "")
}
