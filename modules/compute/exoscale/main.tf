# An Exoscale compute instance on a template, attached to a private network.
# Size classes and OS names map to instance types and templates here and in the catalog
# (a test keeps both equal).

locals {
  flavours = {
    xs = "standard.small"
    s  = "standard.medium"
    m  = "standard.large"
    l  = "standard.extra-large"
    xl = "standard.huge"
  }
  images = {
    "debian-12"    = "Linux Debian 12 (Bookworm) 64-bit"
    "ubuntu-24.04" = "Linux Ubuntu 24.04 LTS 64-bit"
  }
}

data "exoscale_template" "this" {
  zone = var.location
  name = coalesce(var.template_name, lookup(local.images, var.image, var.image))
}

resource "exoscale_ssh_key" "this" {
  count = var.ssh_public_key == "" ? 0 : 1

  name       = var.name
  public_key = var.ssh_public_key
}

resource "exoscale_compute_instance" "this" {
  zone        = var.location
  name        = var.name
  type        = coalesce(var.flavour, local.flavours[var.size])
  template_id = data.exoscale_template.this.id
  disk_size   = var.disk_size
  ssh_keys    = exoscale_ssh_key.this[*].name
  user_data   = var.user_data == "" ? null : var.user_data
  labels      = var.labels

  network_interface {
    network_id = var.network_id
    ip_address = var.private_ip
  }
}
