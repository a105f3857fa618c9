variable "name" {
  description = "Name of the instance; also its Name tag and the name of its SSH key pair."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,62}$", var.name))
    error_message = "The name must be 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit."
  }
}

variable "size" {
  description = "Size class: xs, s, m, l or xl (mapped to an instance type as in the catalog's sizes)."
  type        = string

  validation {
    condition     = contains(["xs", "s", "m", "l", "xl"], var.size)
    error_message = "The size must be one of xs, s, m, l, xl."
  }
}

variable "image" {
  description = "Operating system name, such as debian-12 (mapped to an image as in the catalog's images)."
  type        = string
}

variable "location" {
  description = "Catalog region the instance lives in (for example fr-par); the provider configuration must point at it."
  type        = string
}

variable "network_id" {
  description = "Network (VPC) to attach the instance to, from the network module's network_id."
  type        = string
}

variable "ssh_public_key" {
  description = "OpenSSH public key allowed to log in; empty for none."
  type        = string
  default     = ""
}

variable "user_data" {
  description = "Cloud-init user data passed to the instance at first boot; empty for none."
  type        = string
  default     = ""
}

variable "labels" {
  description = "Labels applied to every resource as tags (fedstack adds fedstack:workload, fedstack:stack, fedstack:component)."
  type        = map(string)
  default     = {}
}

variable "flavour" {
  description = "Instance type overriding the size class (the caller may pass the catalog's sizes entry)."
  type        = string
  default     = null
}

variable "image_id" {
  description = "AMI overriding the image name (the caller may pass the catalog's images entry)."
  type        = string
  default     = null
}

variable "subnet_id" {
  description = "Subnet to attach to; null picks the network's first subnet by ID."
  type        = string
  default     = null
}

variable "public_ip" {
  description = "Give the instance a public IPv4 address."
  type        = bool
  default     = true
}
