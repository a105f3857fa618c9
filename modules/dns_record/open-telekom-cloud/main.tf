# A record set in an existing public DNS zone of Open Telekom Cloud.

locals {
  zone = trimsuffix(var.zone, ".")
}

data "opentelekomcloud_dns_zone_v2" "this" {
  name = "${local.zone}."
}

resource "opentelekomcloud_dns_recordset_v2" "this" {
  zone_id = data.opentelekomcloud_dns_zone_v2.this.id
  name    = var.name == "" ? "${local.zone}." : "${var.name}.${local.zone}."
  type    = var.type
  ttl     = var.ttl
  records = var.records
}
