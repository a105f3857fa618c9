variable "name" {
  description = "Bucket name: 3 to 63 lower-case letters, digits, dots and hyphens."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "The bucket name must be 3 to 63 lower-case letters, digits, dots and hyphens."
  }
}

variable "location" {
  description = "STACKIT region, a catalog region of provider stackit (eu01)."
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

variable "project_id" {
  description = "STACKIT project the resources belong to (every STACKIT resource needs one; no default exists)."
  type        = string
  default     = null

  validation {
    condition     = var.project_id != null
    error_message = "Set project_id: STACKIT resources belong to a project and the provider has no default project."
  }
}
