variable "name" {
  description = "Bucket name: 3 to 63 lower-case letters, digits, dots and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "The bucket name must be 3 to 63 lower-case letters, digits, dots and hyphens."
  }
}

variable "location" {
  description = "IONOS location as a catalog region of provider ionos; recorded in the outputs. The bucket's S3 region is s3_region."
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

variable "s3_region" {
  description = "IONOS Object Storage region of the bucket (for example eu-central-3); object storage regions are not compute locations."
  type        = string
  default     = "eu-central-3"
}
