# A Hetzner Cloud server attached to a network, with an SSH key when one is given.
# Size classes and OS names map to server types and images here and in the catalog
# (a test keeps both equal).

locals {
  flavours = {
    xs = "cx23"
    s  = "cx33"
    m  = "cx43"
    l  = "cx53"
    xl = "ccx33"
  }
  images = {
    "debian-12"    = "debian-12"
    "ubuntu-24.04" = "ubuntu-24.04"
  }
}

resource "hcloud_ssh_key" "this" {
  count = var.ssh_public_key == "" ? 0 : 1

  name       = var.name
  public_key = var.ssh_public_key
  labels     = var.labels
}

resource "hcloud_server" "this" {
  name        = var.name
  server_type = coalesce(var.flavour, local.flavours[var.size])
  image       = coalesce(var.image_name, lookup(local.images, var.image, var.image))
  location    = var.location
  ssh_keys    = hcloud_ssh_key.this[*].id
  user_data   = var.user_data == "" ? null : var.user_data
  labels      = var.labels

  public_net {
    ipv4_enabled = var.public_ip
    ipv6_enabled = true
  }
}

resource "hcloud_server_network" "this" {
  server_id  = hcloud_server.this.id
  network_id = tonumber(var.network_id)
}
