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
  description = "IONOS location as a catalog region of provider ionos (for example de-fra for de/fra, es-vit for es/vit)."
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
  description = "\"<cores>x<RAM in MB>\" overriding the size class (the caller may pass the catalog's sizes entry)."
  type        = string
  default     = null
}

variable "image_alias" {
  description = "IONOS image alias overriding the OS name (the caller may pass the catalog's images entry)."
  type        = string
  default     = null
}

variable "disk_size" {
  description = "Boot volume size in GB."
  type        = number
  default     = 20
}

variable "public_ip" {
  description = "Attach a second NIC on a public LAN created for the server."
  type        = bool
  default     = true
}
