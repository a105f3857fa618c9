# A STACKIT server booting from an image volume, with one interface on the network, a
# public IP and a key pair when asked. Size classes and OS names map to machine types and
# image names here and in the catalog (a test keeps both equal).

locals {
  flavours = {
    xs = "c1.1"
    s  = "c1.2"
    m  = "c1.3"
    l  = "c1.4"
    xl = "c1.5"
  }
  images = {
    "debian-12"    = "Debian 12"
    "ubuntu-24.04" = "Ubuntu 24.04"
  }
}

data "stackit_image_v2" "this" {
  project_id = var.project_id
  name       = coalesce(var.image_name, lookup(local.images, var.image, var.image))
}

resource "stackit_key_pair" "this" {
  count = var.ssh_public_key == "" ? 0 : 1

  name       = var.name
  public_key = chomp(var.ssh_public_key)
  labels     = var.labels
}

resource "stackit_network_interface" "this" {
  project_id = var.project_id
  network_id = var.network_id
  name       = var.name
  labels     = var.labels
}

resource "stackit_server" "this" {
  project_id         = var.project_id
  name               = var.name
  machine_type       = coalesce(var.flavour, local.flavours[var.size])
  availability_zone  = coalesce(var.availability_zone, "${var.location}-1")
  network_interfaces = [stackit_network_interface.this.network_interface_id]
  keypair_name       = var.ssh_public_key == "" ? null : stackit_key_pair.this[0].name
  user_data          = var.user_data == "" ? null : var.user_data
  labels             = var.labels

  boot_volume = {
    source_type           = "image"
    source_id             = data.stackit_image_v2.this.image_id
    size                  = var.disk_size
    delete_on_termination = true
  }
}

resource "stackit_public_ip" "this" {
  count = var.public_ip ? 1 : 0

  project_id           = var.project_id
  network_interface_id = stackit_network_interface.this.network_interface_id
  labels               = var.labels
}
