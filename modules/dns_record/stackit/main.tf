# A record set in an existing STACKIT DNS zone, found by its DNS name.

data "stackit_dns_zone" "this" {
  project_id = var.project_id
  dns_name   = trimsuffix(var.zone, ".")
}

resource "stackit_dns_record_set" "this" {
  project_id = var.project_id
  zone_id    = data.stackit_dns_zone.this.zone_id
  name       = var.name == "" ? "${trimsuffix(var.zone, ".")}." : var.name
  type       = var.type
  ttl        = var.ttl
  records    = var.records
}
