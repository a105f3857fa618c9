# An IONOS managed Kubernetes cluster with one node pool. Node pools live in a data center:
# the network's, or one created here when network_id is null.

locals {
  # Catalog region -> IONOS location (a test keeps this equal to the catalog's api_region).
  regions = {
    de-fra = "de/fra"
    de-txl = "de/txl"
    es-vit = "es/vit"
    fr-par = "fr/par"
    gb-lhr = "gb/lhr"
    gb-bhx = "gb/bhx"
    us-las = "us/las"
    us-ewr = "us/ewr"
    us-mci = "us/mci"
  }
  # Size class -> "<cores>x<RAM in MB>" of an ENTERPRISE server.
  flavours = {
    xs = "1x2048"
    s  = "2x4096"
    m  = "4x8192"
    l  = "8x32768"
    xl = "16x65536"
  }
  flavour       = split("x", coalesce(var.flavour, local.flavours[var.node_size]))
  datacenter_id = var.network_id != null ? split(":", var.network_id)[0] : ionoscloud_datacenter.cluster[0].id
  lan_ids       = var.network_id != null ? [split(":", var.network_id)[1]] : []
}

resource "ionoscloud_datacenter" "cluster" {
  count = var.network_id == null ? 1 : 0

  name     = var.name
  location = local.regions[var.location]
}

resource "ionoscloud_k8s_cluster" "this" {
  name        = var.name
  k8s_version = var.kubernetes_version
}

resource "ionoscloud_k8s_node_pool" "default" {
  name              = "${var.name}-default"
  k8s_cluster_id    = ionoscloud_k8s_cluster.this.id
  datacenter_id     = local.datacenter_id
  k8s_version       = var.kubernetes_version
  node_count        = var.node_count
  cores_count       = tonumber(local.flavour[0])
  ram_size          = tonumber(local.flavour[1])
  availability_zone = "AUTO"
  storage_type      = "SSD"
  storage_size      = var.node_storage_size
  labels            = var.labels

  dynamic "lans" {
    for_each = local.lan_ids
    content {
      id = tonumber(lans.value)
    }
  }
}

# The kubeconfig and API server are read back from the cluster's data source.
data "ionoscloud_k8s_cluster" "this" {
  id = ionoscloud_k8s_cluster.this.id

  depends_on = [ionoscloud_k8s_node_pool.default]
}
