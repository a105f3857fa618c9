output "instance_id" {
  description = "Provider identifier of the instance."
  value       = aws_instance.this.id
}

output "private_ip" {
  description = "Private IPv4 address of the instance in its network."
  value       = aws_instance.this.private_ip
}

output "public_ip" {
  description = "Public IPv4 address of the instance; empty when it has none."
  value       = aws_instance.this.public_ip
}
