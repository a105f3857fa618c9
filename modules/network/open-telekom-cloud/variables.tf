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
  description = "Open Telekom Cloud region, a catalog region of provider open-telekom-cloud (eu-de, eu-nl, eu-ch2)."
  type        = string
}

variable "labels" {
  description = "Labels applied to every resource that takes labels or tags (fedstack adds fedstack:workload, fedstack:stack, fedstack:component)."
  type        = map(string)
  default     = {}
}

variable "subnet_cidr" {
  description = "IPv4 range of the subnet, inside cidr; null uses the whole VPC range."
  type        = string
  default     = null
}

variable "dns_servers" {
  description = "DNS servers handed out by DHCP in the subnet (Open Telekom Cloud's resolvers by default)."
  type        = list(string)
  default     = ["100.125.4.25", "100.125.129.199"]
}
