variable "name" {
  description = "Bucket name: 3 to 63 lower-case letters, digits, dots and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "The bucket name must be 3 to 63 lower-case letters, digits, dots and hyphens."
  }
}

variable "location" {
  description = "IONOS Object Storage region of the bucket (eu-central-3, eu-central-4, us-central-1): a catalog object storage region of provider ionos, not a compute location."
  type        = string

  validation {
    condition     = contains(["eu-central-3", "eu-central-4", "us-central-1"], var.location)
    error_message = "The location must be an IONOS Object Storage region: eu-central-3, eu-central-4 or us-central-1."
  }
}

variable "versioning" {
  description = "Keep every version of every object."
  type        = bool
  default     = false
}

variable "labels" {
  description = "Labels applied to every resource that takes labels or tags (fedstack adds fedstack:workload, fedstack:stack, fedstack:component)."
  type        = map(string)
  default     = {}
}

variable "force_destroy" {
  description = "Allow destroying the bucket while it still holds objects."
  type        = bool
  default     = false
}
