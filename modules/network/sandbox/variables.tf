variable "name" {
  description = "Name of the network; also the Name tag of the VPC and the subnet."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.name))
    error_message = "The name must be 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit."
  }
}

variable "cidr" {
  description = "IPv4 range of the network in CIDR notation (for example 10.20.0.0/16)."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr, 0)) && can(regex("^[0-9.]+/[0-9]+$", var.cidr))
    error_message = "The cidr must be an IPv4 range in CIDR notation, such as 10.20.0.0/16."
  }
}

variable "location" {
  description = "Catalog region the network lives in (for example fr-par); the provider configuration must point at it."
  type        = string
}

variable "labels" {
  description = "Labels applied to every resource as tags (fedstack adds fedstack:workload, fedstack:stack, fedstack:component)."
  type        = map(string)
  default     = {}
}

variable "subnet_cidr" {
  description = "IPv4 range of the subnet, inside cidr; null uses the whole network range."
  type        = string
  default     = null
}
