# An OVHcloud Managed Kubernetes Service cluster with one node pool, on the private
# network when one is given.

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
}

resource "ovh_cloud_project_kube" "this" {
  service_name       = var.service_name
  name               = var.name
  region             = local.regions[var.location]
  version            = var.kubernetes_version
  private_network_id = var.network_id
}

resource "ovh_cloud_project_kube_nodepool" "default" {
  service_name  = var.service_name
  kube_id       = ovh_cloud_project_kube.this.id
  name          = "default"
  flavor_name   = coalesce(var.flavour, local.flavours[var.node_size])
  desired_nodes = var.node_count
  min_nodes     = var.node_count
  max_nodes     = var.node_count

  template {
    metadata {
      labels      = var.labels
      annotations = {}
      finalizers  = []
    }
    spec {
      unschedulable = false
      taints        = []
    }
  }
}
