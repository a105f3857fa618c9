# A compute instance on a sandbox provider: an EC2 instance on the provider's moto server.
# Size classes and OS names map to instance types and AMIs here and in the catalog (a test
# keeps both equal). Moto runs no machine: its AMIs are stand-ins that every region knows.

locals {
  flavours = {
    xs = "t3.micro"
    s  = "t3.small"
    m  = "t3.medium"
    l  = "t3.large"
    xl = "t3.xlarge"
  }
  images = {
    "debian-12"    = "ami-04681a1dbd79675a5"
    "ubuntu-24.04" = "ami-785db401"
  }
  instance_type = coalesce(var.flavour, local.flavours[var.size])
  image_id      = var.image_id != null ? var.image_id : lookup(local.images, var.image, "")
  subnet_id     = var.subnet_id != null ? var.subnet_id : try(sort(data.aws_subnets.network[0].ids)[0], "")
  tags          = merge(var.labels, { Name = var.name })
}

# The common interface passes a network; the instance needs one of its subnets.
data "aws_subnets" "network" {
  count = var.subnet_id == null ? 1 : 0

  filter {
    name   = "vpc-id"
    values = [var.network_id]
  }
}

resource "aws_key_pair" "this" {
  count = var.ssh_public_key == "" ? 0 : 1

  key_name   = var.name
  public_key = var.ssh_public_key
  tags       = local.tags
}

resource "aws_instance" "this" {
  ami                         = local.image_id
  instance_type               = local.instance_type
  subnet_id                   = local.subnet_id
  key_name                    = var.ssh_public_key == "" ? null : aws_key_pair.this[0].key_name
  user_data                   = var.user_data == "" ? null : var.user_data
  associate_public_ip_address = var.public_ip
  tags                        = local.tags
  volume_tags                 = local.tags

  lifecycle {
    precondition {
      condition     = local.image_id != ""
      error_message = "No image for ${var.image}: known images are ${join(", ", keys(local.images))}; or pass image_id."
    }
    precondition {
      condition     = local.subnet_id != ""
      error_message = "The network ${var.network_id} has no subnet to attach the instance to; create one or pass subnet_id."
    }
  }
}
