variable "project" {
  description = "Bridge project of the stack whose outputs this root reads."
  type        = string
}

variable "shared_stack" {
  description = "The other stack (in var.project) whose outputs this root reads."
  type        = string
}

variable "policy" {
  description = "Sovereignty policy: a preset name or a policy YAML path."
  type        = string
  default     = "eu-data-residency"
}

variable "countries" {
  description = "ISO countries the object store may be placed in."
  type        = list(string)
  default     = ["FR", "DE", "NL"]

  validation {
    condition     = length(var.countries) > 0
    error_message = "Name at least one country."
  }
}
