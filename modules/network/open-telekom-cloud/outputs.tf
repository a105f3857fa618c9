output "network_id" {
  description = "Provider identifier of the network (the VPC ID); the network_id input of compute and kubernetes."
  value       = opentelekomcloud_vpc_v1.this.id

  depends_on = [opentelekomcloud_vpc_subnet_v1.this]
}

output "subnet_id" {
  description = "Provider identifier of the subnet (the network ID ECS and CCE attach to)."
  value       = opentelekomcloud_vpc_subnet_v1.this.id
}

output "cidr" {
  description = "IPv4 range of the network in CIDR notation."
  value       = opentelekomcloud_vpc_v1.this.cidr
}
