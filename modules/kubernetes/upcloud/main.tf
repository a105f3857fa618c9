# An UpCloud Kubernetes Service cluster with one node group. UKS needs a private network:
# the given one, or one created here when network_id is null.

locals {
  flavours = {
    xs = "1xCPU-2GB"
    s  = "2xCPU-4GB"
    m  = "4xCPU-8GB"
    l  = "8xCPU-32GB"
    xl = "16xCPU-64GB"
  }
}

resource "upcloud_network" "cluster" {
  count = var.network_id == null ? 1 : 0

  name = var.name
  zone = var.location

  ip_network {
    address = var.cluster_cidr
    dhcp    = true
    family  = "IPv4"
  }

  lifecycle {
    ignore_changes = [router]
  }
}

resource "upcloud_kubernetes_cluster" "this" {
  name                    = var.name
  zone                    = var.location
  version                 = var.kubernetes_version
  network                 = var.network_id != null ? var.network_id : upcloud_network.cluster[0].id
  control_plane_ip_filter = var.control_plane_ip_filter
  labels                  = var.labels
}

resource "upcloud_kubernetes_node_group" "default" {
  cluster    = upcloud_kubernetes_cluster.this.id
  name       = "default"
  node_count = var.node_count
  plan       = coalesce(var.flavour, local.flavours[var.node_size])
  labels     = var.labels
}

# The kubeconfig and API host are read back from the cluster's data source.
data "upcloud_kubernetes_cluster" "this" {
  id = upcloud_kubernetes_cluster.this.id
}
