# A Public Cloud instance, created through OpenStack as OVHcloud documents, on the private
# network and (when asked) on the public network Ext-Net. Size classes and OS names map to
# flavours and images here and in the catalog (a test keeps both equal).

locals {
  # Catalog region -> Public Cloud compute region (a test keeps this equal to the catalog's
  # api_region); object storage uses the catalog region's upper-case name.
  regions = {
    gra          = "GRA11"
    sbg          = "SBG5"
    rbx          = "RBX-A"
    de           = "DE1"
    uk           = "UK1"
    waw          = "WAW1"
    eu-west-par  = "EU-WEST-PAR"
    eu-south-mil = "EU-SOUTH-MIL"
    bhs          = "BHS5"
    ca-east-tor  = "CA-EAST-TOR"
    sgp          = "SGP1"
    syd          = "SYD1"
  }
  flavours = {
    xs = "d2-2"
    s  = "d2-4"
    m  = "b3-16"
    l  = "b3-32"
    xl = "b3-64"
  }
  images = {
    "debian-12"    = "Debian 12"
    "ubuntu-24.04" = "Ubuntu 24.04"
  }
  region = local.regions[var.location]
}

resource "openstack_compute_keypair_v2" "this" {
  count = var.ssh_public_key == "" ? 0 : 1

  name       = var.name
  region     = local.region
  public_key = var.ssh_public_key
}

resource "openstack_compute_instance_v2" "this" {
  name        = var.name
  region      = local.region
  flavor_name = coalesce(var.flavour, local.flavours[var.size])
  image_name  = coalesce(var.image_name, lookup(local.images, var.image, var.image))
  key_pair    = var.ssh_public_key == "" ? null : openstack_compute_keypair_v2.this[0].name
  user_data   = var.user_data == "" ? null : var.user_data
  metadata    = var.labels

  dynamic "network" {
    for_each = var.public_ip ? ["Ext-Net"] : []
    content {
      name = network.value
    }
  }

  network {
    uuid = var.network_id
  }
}
