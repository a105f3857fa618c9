# A STACKIT Kubernetes Engine (SKE) cluster with one node pool and a kubeconfig that is
# refreshed before it expires.

locals {
  flavours = {
    xs = "c1.1"
    s  = "c1.2"
    m  = "c1.3"
    l  = "c1.4"
    xl = "c1.5"
  }
}

resource "stackit_ske_cluster" "this" {
  project_id             = var.project_id
  name                   = var.name
  kubernetes_version_min = var.kubernetes_version
  network                = var.network_id == null ? null : { id = var.network_id }

  node_pools = [
    {
      name               = "default"
      machine_type       = coalesce(var.flavour, local.flavours[var.node_size])
      minimum            = var.node_count
      maximum            = var.node_count
      availability_zones = coalesce(var.availability_zones, ["${var.location}-1"])
      labels             = var.labels
    },
  ]
}

resource "stackit_ske_kubeconfig" "this" {
  project_id   = var.project_id
  cluster_name = stackit_ske_cluster.this.name
  refresh      = true
}
