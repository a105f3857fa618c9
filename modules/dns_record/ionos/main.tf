# Records in an existing IONOS Cloud DNS zone: one ionoscloud_dns_record per value.

data "ionoscloud_dns_zone" "this" {
  name = trimsuffix(var.zone, ".")
}

resource "ionoscloud_dns_record" "this" {
  count = length(var.records)

  zone_id = data.ionoscloud_dns_zone.this.id
  name    = var.name == "" ? "@" : var.name
  type    = var.type
  content = var.records[count.index]
  ttl     = var.ttl
  enabled = true
}
