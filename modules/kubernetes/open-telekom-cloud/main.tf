# A Cloud Container Engine (CCE) cluster with one node pool. CCE needs a VPC and subnet:
# the network's, or ones created here when network_id is null.

locals {
  flavours = {
    xs = "s3.medium.2"
    s  = "s3.large.2"
    m  = "s3.xlarge.2"
    l  = "s3.2xlarge.4"
    xl = "s3.4xlarge.4"
  }
  first_zone = {
    eu-de  = "eu-de-01"
    eu-nl  = "eu-nl-01"
    eu-ch2 = "eu-ch2a"
  }
  vpc_id = var.network_id != null ? var.network_id : opentelekomcloud_vpc_v1.cluster[0].id
}

resource "opentelekomcloud_vpc_v1" "cluster" {
  count = var.network_id == null ? 1 : 0

  name = var.name
  cidr = var.cluster_cidr
  tags = var.labels
}

resource "opentelekomcloud_vpc_subnet_v1" "cluster" {
  count = var.network_id == null ? 1 : 0

  name       = var.name
  vpc_id     = opentelekomcloud_vpc_v1.cluster[0].id
  cidr       = var.cluster_cidr
  gateway_ip = cidrhost(var.cluster_cidr, 1)
  tags       = var.labels
}

data "opentelekomcloud_vpc_subnet_ids_v1" "this" {
  vpc_id = local.vpc_id

  depends_on = [opentelekomcloud_vpc_subnet_v1.cluster]
}

resource "opentelekomcloud_compute_keypair_v2" "nodes" {
  count = var.node_key_pair == null ? 1 : 0

  name = "${var.name}-nodes"
}

resource "opentelekomcloud_cce_cluster_v3" "this" {
  name                   = var.name
  cluster_type           = "VirtualMachine"
  flavor_id              = var.cluster_flavour
  cluster_version        = "v${var.kubernetes_version}"
  vpc_id                 = local.vpc_id
  subnet_id              = sort(data.opentelekomcloud_vpc_subnet_ids_v1.this.ids)[0]
  container_network_type = "overlay_l2"
  authentication_mode    = "rbac"
}

resource "opentelekomcloud_cce_node_pool_v3" "default" {
  cluster_id         = opentelekomcloud_cce_cluster_v3.this.id
  name               = "default"
  os                 = var.node_os
  flavor             = coalesce(var.flavour, local.flavours[var.node_size])
  initial_node_count = var.node_count
  availability_zone  = coalesce(var.availability_zone, local.first_zone[var.location])
  key_pair           = var.node_key_pair != null ? var.node_key_pair : opentelekomcloud_compute_keypair_v2.nodes[0].name
  k8s_tags           = var.labels

  root_volume {
    size       = 40
    volumetype = "SSD"
  }

  data_volumes {
    size       = 100
    volumetype = "SSD"
  }
}

locals {
  # CCE hands out certificates, not a kubeconfig file: assemble one.
  kubeconfig = yamlencode({
    apiVersion        = "v1"
    kind              = "Config"
    "current-context" = var.name
    clusters = [{
      name = var.name
      cluster = {
        server                       = opentelekomcloud_cce_cluster_v3.this.certificate_clusters[0].server
        "certificate-authority-data" = opentelekomcloud_cce_cluster_v3.this.certificate_clusters[0].certificate_authority_data
      }
    }]
    users = [{
      name = opentelekomcloud_cce_cluster_v3.this.certificate_users[0].name
      user = {
        "client-certificate-data" = opentelekomcloud_cce_cluster_v3.this.certificate_users[0].client_certificate_data
        "client-key-data"         = opentelekomcloud_cce_cluster_v3.this.certificate_users[0].client_key_data
      }
    }]
    contexts = [{
      name    = var.name
      context = { cluster = var.name, user = opentelekomcloud_cce_cluster_v3.this.certificate_users[0].name }
    }]
  })
}
