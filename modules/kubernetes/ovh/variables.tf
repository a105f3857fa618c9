variable "name" {
  description = "Name of the cluster."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version, such as 1.31 (the provider must offer it)."
  type        = string
}

variable "location" {
  description = "OVHcloud region, a catalog region of provider ovhcloud (for example gra, sbg, de, eu-west-par)."
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

variable "service_name" {
  description = "Public Cloud project ID; null lets the ovh provider read OVH_CLOUD_PROJECT_SERVICE."
  type        = string
  default     = null
}

variable "flavour" {
  description = "Node flavour overriding node_size (the caller may pass the catalog's sizes entry)."
  type        = string
  default     = null
}
