# A plain Terraform stack whose state lives in the fedstack bridge (backend "http").
# The addresses come from -backend-config at init (see README.md), the token from
# TF_HTTP_USERNAME / TF_HTTP_PASSWORD: nothing secret is written here.

terraform {
  required_version = ">= 1.5"

  backend "http" {
    lock_method   = "LOCK"
    unlock_method = "UNLOCK"
  }
}

variable "greeting" {
  description = "A value to keep in the state, to see it in the bridge's versions and inventory."
  type        = string
  default     = "hello from a plain Terraform stack"
}

resource "terraform_data" "example" {
  input = { greeting = var.greeting }
}

output "greeting" {
  description = "The greeting stored in the state."
  value       = terraform_data.example.output.greeting
}
