# A network on a sandbox provider: one VPC and one subnet spanning its whole range, on the
# provider's moto server (the root configures hashicorp/aws; never here).

locals {
  tags = merge(var.labels, { Name = var.name })
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = local.tags
}

resource "aws_subnet" "this" {
  vpc_id     = aws_vpc.this.id
  cidr_block = coalesce(var.subnet_cidr, var.cidr)
  tags       = local.tags
}
