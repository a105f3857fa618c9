variable "name" {
  description = "Name of the cluster."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version, such as 1.31 (the provider must offer it)."
  type        = string
}

variable "location" {
  description = "UpCloud zone, a catalog region of provider upcloud (for example fi-hel1, de-fra1, nl-ams1)."
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

variable "flavour" {
  description = "Node plan overriding node_size (the caller may pass the catalog's sizes entry)."
  type        = string
  default     = null
}

variable "cluster_cidr" {
  description = "IPv4 range of the network created for the cluster when network_id is null."
  type        = string
  default     = "172.16.1.0/24"
}

variable "control_plane_ip_filter" {
  description = "IPv4 ranges allowed to reach the Kubernetes API."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}
