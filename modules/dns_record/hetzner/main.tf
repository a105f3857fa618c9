# A record set in a Hetzner DNS zone, managed through the Cloud API (hcloud >= 1.54).
# The zone must already exist: it belongs to whoever holds the domain.

resource "hcloud_zone_rrset" "this" {
  zone    = trimsuffix(var.zone, ".")
  name    = var.name == "" ? "@" : var.name
  type    = var.type
  ttl     = var.ttl
  records = [for value in var.records : { value = value }]
}
