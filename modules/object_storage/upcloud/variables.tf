variable "name" {
  description = "Bucket name: 3 to 63 lower-case letters, digits, dots and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "The bucket name must be 3 to 63 lower-case letters, digits, dots and hyphens."
  }
}

variable "location" {
  description = "UpCloud zone, a catalog region of provider upcloud; recorded in the outputs. The object storage region is storage_region."
  type        = string
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

variable "storage_region" {
  description = "UpCloud Managed Object Storage region (europe-1, europe-2, europe-3, ...): object storage regions are not zones."
  type        = string
  default     = "europe-1"
}

variable "service_uuid" {
  description = "Existing Managed Object Storage service to create the bucket in; null creates one named after the bucket."
  type        = string
  default     = null
}
