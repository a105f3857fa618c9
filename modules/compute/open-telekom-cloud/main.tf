# An Elastic Cloud Server in the VPC's first subnet, with a key pair and an elastic IP when
# asked. Size classes and OS names map to flavours and public images here and in the
# catalog (a test keeps both equal).

locals {
  flavours = {
    xs = "s3.medium.2"
    s  = "s3.large.2"
    m  = "s3.xlarge.2"
    l  = "s3.2xlarge.4"
    xl = "s3.4xlarge.4"
  }
  images = {
    "debian-12"    = "Standard_Debian_12_latest"
    "ubuntu-24.04" = "Standard_Ubuntu_24.04_latest"
  }
  first_zone = {
    eu-de  = "eu-de-01"
    eu-nl  = "eu-nl-01"
    eu-ch2 = "eu-ch2a"
  }
}

data "opentelekomcloud_vpc_subnet_ids_v1" "this" {
  vpc_id = var.network_id
}

data "opentelekomcloud_images_image_v2" "this" {
  name        = coalesce(var.image_name, lookup(local.images, var.image, var.image))
  most_recent = true
}

resource "opentelekomcloud_compute_keypair_v2" "this" {
  count = var.ssh_public_key == "" ? 0 : 1

  name       = var.name
  public_key = var.ssh_public_key
}

resource "opentelekomcloud_ecs_instance_v1" "this" {
  name              = var.name
  image_id          = data.opentelekomcloud_images_image_v2.this.id
  flavor            = coalesce(var.flavour, local.flavours[var.size])
  vpc_id            = var.network_id
  availability_zone = coalesce(var.availability_zone, local.first_zone[var.location])
  key_name          = var.ssh_public_key == "" ? null : opentelekomcloud_compute_keypair_v2.this[0].name
  user_data         = var.user_data == "" ? null : var.user_data
  system_disk_type  = "SSD"
  system_disk_size  = var.disk_size
  tags              = var.labels

  nics {
    network_id = sort(data.opentelekomcloud_vpc_subnet_ids_v1.this.ids)[0]
  }
}

resource "opentelekomcloud_vpc_eip_v1" "this" {
  count = var.public_ip ? 1 : 0

  publicip {
    type = "5_bgp"
  }
  bandwidth {
    name       = var.name
    size       = 10
    share_type = "PER"
  }
  tags = var.labels
}

resource "opentelekomcloud_compute_floatingip_associate_v2" "this" {
  count = var.public_ip ? 1 : 0

  floating_ip = opentelekomcloud_vpc_eip_v1.this[0].publicip[0].ip_address
  instance_id = opentelekomcloud_ecs_instance_v1.this.id
}
