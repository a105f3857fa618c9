# An IONOS ENTERPRISE server in the network's data center, with its primary NIC on the
# private LAN and, when asked, a second NIC on a public LAN. Size classes and OS names map
# to cores/RAM and image aliases here and in the catalog (a test keeps both equal).

locals {
  # Size class -> "<cores>x<RAM in MB>" of an ENTERPRISE server.
  flavours = {
    xs = "1x2048"
    s  = "2x4096"
    m  = "4x8192"
    l  = "8x32768"
    xl = "16x65536"
  }
  images = {
    "debian-12"    = "debian:12"
    "ubuntu-24.04" = "ubuntu:24.04"
  }
  datacenter_id = split(":", var.network_id)[0]
  lan_id        = split(":", var.network_id)[1]
  flavour       = split("x", coalesce(var.flavour, local.flavours[var.size]))
}

resource "ionoscloud_server" "this" {
  name              = var.name
  datacenter_id     = local.datacenter_id
  type              = "ENTERPRISE"
  cores             = tonumber(local.flavour[0])
  ram               = tonumber(local.flavour[1])
  availability_zone = "AUTO"
  image_name        = coalesce(var.image_alias, lookup(local.images, var.image, var.image))
  ssh_keys          = var.ssh_public_key == "" ? [] : [var.ssh_public_key]

  volume {
    name      = "${var.name}-boot"
    size      = var.disk_size
    disk_type = "SSD Standard"
    user_data = var.user_data == "" ? null : base64encode(var.user_data)
  }

  nic {
    name = "${var.name}-private"
    lan  = tonumber(local.lan_id)
    dhcp = true
  }

  dynamic "label" {
    for_each = var.labels
    content {
      key   = label.key
      value = label.value
    }
  }
}

resource "ionoscloud_lan" "public" {
  count = var.public_ip ? 1 : 0

  datacenter_id = local.datacenter_id
  name          = "${var.name}-public"
  public        = true
}

resource "ionoscloud_nic" "public" {
  count = var.public_ip ? 1 : 0

  datacenter_id = local.datacenter_id
  server_id     = ionoscloud_server.this.id
  lan           = tonumber(ionoscloud_lan.public[0].id)
  name          = "${var.name}-public"
  dhcp          = true
}
