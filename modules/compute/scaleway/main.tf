# A Scaleway instance on a private network, with a flexible IP and an IAM SSH key when asked.
# Size classes and OS names map to commercial types and image labels here and in the
# catalog (a test keeps both equal).

locals {
  flavours = {
    xs = "DEV1-S"
    s  = "DEV1-M"
    m  = "PRO2-XS"
    l  = "PRO2-S"
    xl = "PRO2-M"
  }
  images = {
    "debian-12"    = "debian_bookworm"
    "ubuntu-24.04" = "ubuntu_noble"
  }
  zone = coalesce(var.zone, "${var.location}-1")
  tags = [for key, value in var.labels : "${key}=${value}"]
}

# Scaleway SSH keys belong to the project and are offered to every new instance.
resource "scaleway_iam_ssh_key" "this" {
  count = var.ssh_public_key == "" ? 0 : 1

  name       = var.name
  public_key = var.ssh_public_key
}

resource "scaleway_instance_ip" "this" {
  count = var.public_ip ? 1 : 0

  zone = local.zone
  tags = local.tags
}

resource "scaleway_instance_server" "this" {
  name  = var.name
  zone  = local.zone
  type  = coalesce(var.flavour, local.flavours[var.size])
  image = coalesce(var.image_label, lookup(local.images, var.image, var.image))
  ip_id = var.public_ip ? scaleway_instance_ip.this[0].id : null
  tags  = local.tags

  user_data = var.user_data == "" ? {} : { "cloud-init" = var.user_data }

  private_network {
    pn_id = var.network_id
  }

  depends_on = [scaleway_iam_ssh_key.this]
}

# The private address is allocated by IPAM, found through the interface's MAC address.
data "scaleway_ipam_ip" "private" {
  mac_address = scaleway_instance_server.this.private_network[0].mac_address
  type        = "ipv4"
}
