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
  description = "Scaleway region, a catalog region of provider scaleway (fr-par, nl-ams, pl-waw)."
  type        = string
}

variable "labels" {
  description = "Labels applied to every resource that takes labels or tags (fedstack adds fedstack:workload, fedstack:stack, fedstack:component)."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "VPC to create the private network in; null creates a VPC named after the network."
  type        = string
  default     = null
}
