# Records in an existing OVHcloud DNS zone: one ovh_domain_zone_record per value.

resource "ovh_domain_zone_record" "this" {
  count = length(var.records)

  zone      = trimsuffix(var.zone, ".")
  subdomain = var.name
  fieldtype = var.type
  ttl       = var.ttl
  target    = var.records[count.index]
}
