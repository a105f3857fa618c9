# A DNS record set on a sandbox provider: a Route 53 record on the provider's moto server.
# The zone is looked up by name, not created: a zone belongs to whoever holds the domain and
# outlives any one stack, as at the real providers.

data "aws_route53_zone" "this" {
  name         = var.zone
  private_zone = false
}

locals {
  zone = trimsuffix(var.zone, ".")
  fqdn = var.name == "" ? local.zone : "${var.name}.${local.zone}"
}

resource "aws_route53_record" "this" {
  zone_id = data.aws_route53_zone.this.zone_id
  name    = local.fqdn
  type    = var.type
  ttl     = var.ttl
  records = var.records
}
