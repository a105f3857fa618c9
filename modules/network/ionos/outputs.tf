output "network_id" {
  description = "Provider identifier of the network; the network_id input of compute and kubernetes."
  value       = "${ionoscloud_datacenter.this.id}:${ionoscloud_lan.this.id}"
}

output "subnet_id" {
  description = "Provider identifier of the private LAN in the data center."
  value       = ionoscloud_lan.this.id
}

output "cidr" {
  description = "IPv4 range asked for; IONOS private LANs hand out DHCP addresses of their own choosing (see README)."
  value       = var.cidr
}
