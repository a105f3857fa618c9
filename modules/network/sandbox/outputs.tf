output "network_id" {
  description = "Provider identifier of the network (the VPC ID)."
  value       = aws_vpc.this.id

  # Callers attach instances to the network's subnet: hand out the ID only once it exists.
  depends_on = [aws_subnet.this]
}

output "subnet_id" {
  description = "Provider identifier of the subnet compute instances attach to."
  value       = aws_subnet.this.id
}

output "cidr" {
  description = "IPv4 range of the network in CIDR notation."
  value       = aws_vpc.this.cidr_block
}
