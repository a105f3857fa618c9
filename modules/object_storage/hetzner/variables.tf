variable "name" {
  description = "Bucket name: 3 to 63 lower-case letters, digits, dots and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "The bucket name must be 3 to 63 lower-case letters, digits, dots and hyphens."
  }
}

variable "location" {
  description = "Hetzner Object Storage location, a catalog region of provider hetzner (fsn1, nbg1, hel1); the aws provider of the root must point at its endpoint."
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

variable "tag_bucket" {
  description = "Apply the labels as bucket tags (S3 PutBucketTagging); off until the endpoint is known to support it."
  type        = bool
  default     = false
}
