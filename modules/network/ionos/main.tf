# An IONOS virtual data center with one private LAN. IONOS places servers and node pools in
# a data center and attaches them to LANs, so the network identifier carries both:
# "<datacenter_id>:<lan_id>".

locals {
  # Catalog region -> IONOS location (a test keeps this equal to the catalog's api_region).
  regions = {
    de-fra   = "de/fra"
    de-txl   = "de/txl"
    es-vit   = "es/vit"
    fr-par   = "fr/par"
    gb-lhr   = "gb/lhr"
    gb-bhx   = "gb/bhx"
    us-las   = "us/las"
    us-ewr   = "us/ewr"
    us-mci   = "us/mci"
    de-fra-2 = "de/fra/2"
  }
}

resource "ionoscloud_datacenter" "this" {
  name        = var.name
  location    = local.regions[var.location]
  description = join(", ", [for key, value in var.labels : "${key}=${value}"])
}

resource "ionoscloud_lan" "this" {
  datacenter_id = ionoscloud_datacenter.this.id
  name          = var.name
  public        = false
}
