# An Exoscale SKS cluster with one node pool and an admin kubeconfig.

locals {
  flavours = {
    xs = "standard.small"
    s  = "standard.medium"
    m  = "standard.large"
    l  = "standard.extra-large"
    xl = "standard.huge"
  }
}

resource "exoscale_sks_cluster" "this" {
  zone          = var.location
  name          = var.name
  version       = var.kubernetes_version
  service_level = var.service_level
  labels        = var.labels
}

resource "exoscale_sks_nodepool" "this" {
  zone                = var.location
  cluster_id          = exoscale_sks_cluster.this.id
  name                = "${var.name}-default"
  instance_type       = coalesce(var.flavour, local.flavours[var.node_size])
  size                = var.node_count
  private_network_ids = var.network_id == null ? [] : [var.network_id]
  labels              = var.labels
}

resource "exoscale_sks_kubeconfig" "admin" {
  zone       = var.location
  cluster_id = exoscale_sks_cluster.this.id
  user       = "kubernetes-admin"
  groups     = ["system:masters"]
}
