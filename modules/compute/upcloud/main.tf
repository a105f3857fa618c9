# An UpCloud server from a public template, with a private interface on the network and a
# public one when asked. Size classes and OS names map to plans and templates here and in
# the catalog (a test keeps both equal).

locals {
  flavours = {
    xs = "1xCPU-2GB"
    s  = "2xCPU-4GB"
    m  = "4xCPU-8GB"
    l  = "8xCPU-32GB"
    xl = "16xCPU-64GB"
  }
  images = {
    "debian-12"    = "Debian GNU/Linux 12 (Bookworm)"
    "ubuntu-24.04" = "Ubuntu Server 24.04 LTS (Noble Numbat)"
  }
}

resource "upcloud_server" "this" {
  hostname  = var.name
  zone      = var.location
  plan      = coalesce(var.flavour, local.flavours[var.size])
  labels    = var.labels
  metadata  = true # cloud-init reads user data from the metadata service
  user_data = var.user_data == "" ? null : var.user_data

  template {
    storage = coalesce(var.template, lookup(local.images, var.image, var.image))
    size    = var.disk_size
  }

  dynamic "network_interface" {
    for_each = var.public_ip ? ["public"] : []
    content {
      type = "public"
    }
  }

  network_interface {
    type    = "private"
    network = var.network_id
  }

  dynamic "login" {
    for_each = var.ssh_public_key == "" ? [] : [var.ssh_public_key]
    content {
      keys = [login.value]
    }
  }
}
