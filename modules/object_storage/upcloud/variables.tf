variable "name" {
  description = "Bucket name: 3 to 63 lower-case letters, digits, dots and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "The bucket name must be 3 to 63 lower-case letters, digits, dots and hyphens."
  }
}

variable "location" {
  description = "UpCloud Managed Object Storage region of the bucket (europe-1, europe-2, europe-3, us-1, apac-1): a catalog object storage region of provider upcloud, not a zone. With service_uuid, the region of that service."
  type        = string

  validation {
    condition     = contains(["europe-1", "europe-2", "europe-3", "us-1", "apac-1"], var.location)
    error_message = "The location must be an UpCloud Managed Object Storage region: europe-1, europe-2, europe-3, us-1 or apac-1."
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

variable "service_uuid" {
  description = "Existing Managed Object Storage service, in the region given as location, to create the bucket in; null creates one named after the bucket in that region."
  type        = string
  default     = null
}
