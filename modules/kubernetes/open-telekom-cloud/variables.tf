variable "name" {
  description = "Name of the cluster."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version, such as 1.31 (the provider must offer it)."
  type        = string
}

variable "location" {
  description = "Open Telekom Cloud region, a catalog region of provider open-telekom-cloud (eu-de, eu-nl, eu-ch2)."
  type        = string
}

variable "node_size" {
  description = "Size class of the nodes: xs, s, m, l or xl (mapped to a flavour as in the catalog's sizes)."
  type        = string

  validation {
    condition     = contains(["xs", "s", "m", "l", "xl"], var.node_size)
    error_message = "The node_size must be one of xs, s, m, l, xl."
  }
}

variable "node_count" {
  description = "Number of nodes in the default node pool."
  type        = number
  default     = 3

  validation {
    condition     = var.node_count >= 1
    error_message = "The node_count must be at least 1."
  }
}

variable "network_id" {
  description = "Network the nodes attach to: the network module's network_id; null where this provider needs none."
  type        = string
  default     = null
}

variable "labels" {
  description = "Labels applied to every resource that takes labels or tags (fedstack adds fedstack:workload, fedstack:stack, fedstack:component)."
  type        = map(string)
  default     = {}
}

variable "availability_zone" {
  description = "Availability zone; null uses the region's first (eu-de-01, eu-nl-01, eu-ch2a)."
  type        = string
  default     = null
}

variable "flavour" {
  description = "Node flavour overriding node_size (the caller may pass the catalog's sizes entry)."
  type        = string
  default     = null
}

variable "cluster_flavour" {
  description = "CCE control plane flavour (cce.s1.small: single master, up to 50 nodes; cce.s2.* are highly available)."
  type        = string
  default     = "cce.s1.small"
}

variable "cluster_cidr" {
  description = "IPv4 range of the VPC created for the cluster when network_id is null."
  type        = string
  default     = "10.248.0.0/16"
}

variable "node_os" {
  description = "Operating system of the nodes, as CCE names it."
  type        = string
  default     = "EulerOS 2.9"
}

variable "node_key_pair" {
  description = "Existing key pair for the nodes; null creates one (its private key then sits in the state)."
  type        = string
  default     = null
}
