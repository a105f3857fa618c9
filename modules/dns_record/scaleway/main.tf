# Records in an existing Scaleway DNS zone: one scaleway_domain_record per value.

resource "scaleway_domain_record" "this" {
  count = length(var.records)

  dns_zone = trimsuffix(var.zone, ".")
  name     = var.name
  type     = var.type
  data     = var.records[count.index]
  ttl      = var.ttl
}
