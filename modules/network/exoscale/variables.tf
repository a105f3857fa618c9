variable "name" {
  description = "Name of the network."
  type        = string
}

variable "cidr" {
  description = "IPv4 range of the network in CIDR notation (for example 10.20.0.0/16)."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr, 0))
    error_message = "The cidr must be an IPv4 range in CIDR notation, such as 10.20.0.0/16."
  }
}

variable "location" {
  description = "Exoscale zone, a catalog region of provider exoscale (for example ch-gva-2, de-fra-1, at-vie-1)."
  type        = string
}

variable "labels" {
  description = "Labels applied to every resource that takes labels or tags (fedstack adds fedstack:workload, fedstack:stack, fedstack:component)."
  type        = map(string)
  default     = {}
}
