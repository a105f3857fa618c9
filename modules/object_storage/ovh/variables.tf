variable "name" {
  description = "Bucket name: 3 to 63 lower-case letters, digits, dots and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "The bucket name must be 3 to 63 lower-case letters, digits, dots and hyphens."
  }
}

variable "location" {
  description = "OVHcloud Object Storage (S3) region of the bucket, a catalog object storage region of provider ovhcloud (for example gra, de, eu-west-par, ap-southeast-syd): S3 region ids, not compute regions."
  type        = string

  validation {
    condition     = contains(["gra", "rbx", "sbg", "eu-west-par", "eu-south-mil", "de", "uk", "waw", "bhs", "ca-east-tor", "sgp", "ap-southeast-syd", "ap-south-mum"], var.location)
    error_message = "The location must be an OVHcloud Object Storage region: gra, rbx, sbg, eu-west-par, eu-south-mil, de, uk, waw, bhs, ca-east-tor, sgp, ap-southeast-syd or ap-south-mum."
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

variable "service_name" {
  description = "Public Cloud project ID; null lets the ovh provider read OVH_CLOUD_PROJECT_SERVICE."
  type        = string
  default     = null
}
