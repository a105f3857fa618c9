variable "name" {
  description = "Name of the instance."
  type        = string
}

variable "size" {
  description = "Size class: xs, s, m, l or xl (mapped to a flavour as in the catalog's sizes)."
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
  description = "OVHcloud region, a catalog region of provider ovhcloud (for example gra, sbg, de, eu-west-par)."
  type        = string
}

variable "network_id" {
  description = "Network to attach the instance to: the network module's network_id."
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
  description = "Labels applied to every resource that takes labels or tags (fedstack adds fedstack:workload, fedstack:stack, fedstack:component)."
  type        = map(string)
  default     = {}
}

variable "flavour" {
  description = "Instance flavour overriding the size class (the caller may pass the catalog's sizes entry)."
  type        = string
  default     = null
}

variable "image_name" {
  description = "Public Cloud image name overriding the OS name (the caller may pass the catalog's images entry)."
  type        = string
  default     = null
}

variable "public_ip" {
  description = "Attach the instance to the public network Ext-Net as well."
  type        = bool
  default     = true
}
