variable "zone" {
  description = "DNS zone the record goes into (for example example.eu); it must already exist at the provider."
  type        = string
}

variable "name" {
  description = "Record name relative to the zone (for example www); empty for the zone apex."
  type        = string
}

variable "type" {
  description = "Record type: A, AAAA, CNAME, MX, TXT, NS, SRV or CAA."
  type        = string

  validation {
    condition     = contains(["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA"], var.type)
    error_message = "The type must be one of A, AAAA, CNAME, MX, TXT, NS, SRV, CAA."
  }
}

variable "ttl" {
  description = "Time to live of the record in seconds."
  type        = number
  default     = 300

  validation {
    condition     = var.ttl >= 60 && var.ttl <= 86400
    error_message = "The ttl must be between 60 and 86400 seconds."
  }
}

variable "records" {
  description = "Values of the record set (for example IPv4 addresses for A)."
  type        = list(string)

  validation {
    condition     = length(var.records) > 0
    error_message = "A record set needs at least one value."
  }
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
