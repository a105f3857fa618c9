# A Scaleway Kubernetes Kapsule cluster with one node pool. Kapsule clusters need a private
# network: the given one, or one created here when network_id is null.

locals {
  flavours = {
    xs = "DEV1-S"
    s  = "DEV1-M"
    m  = "PRO2-XS"
    l  = "PRO2-S"
    xl = "PRO2-M"
  }
  tags = [for key, value in var.labels : "${key}=${value}"]
}

resource "scaleway_vpc_private_network" "cluster" {
  count = var.network_id == null ? 1 : 0

  name   = var.name
  region = var.location
  tags   = local.tags
}

resource "scaleway_k8s_cluster" "this" {
  name                        = var.name
  region                      = var.location
  version                     = var.kubernetes_version
  cni                         = var.cni
  private_network_id          = var.network_id != null ? var.network_id : scaleway_vpc_private_network.cluster[0].id
  delete_additional_resources = true
  tags                        = local.tags
}

resource "scaleway_k8s_pool" "default" {
  cluster_id = scaleway_k8s_cluster.this.id
  name       = "default"
  node_type  = coalesce(var.flavour, local.flavours[var.node_size])
  size       = var.node_count
  zone       = var.zone
  tags       = local.tags
}
