# Records in an existing Exoscale DNS domain: one exoscale_domain_record per value, since
# Exoscale records hold one value each.

data "exoscale_domain" "this" {
  name = trimsuffix(var.zone, ".")
}

resource "exoscale_domain_record" "this" {
  count = length(var.records)

  domain      = data.exoscale_domain.this.id
  name        = var.name
  record_type = var.type
  content     = var.records[count.index]
  ttl         = var.ttl
}
