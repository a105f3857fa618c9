variable "endpoint" {
  description = "The sandbox provider's S3 endpoint (`fedstack sandbox status` prints it)."
  type        = string
}

variable "bucket_name" {
  description = "Name of the bucket to make."
  type        = string
  default     = "plain-terraform-assets"
}

variable "location" {
  description = "Catalog region of the bucket (fr-par for sandbox-fr)."
  type        = string
  default     = "fr-par"
}

variable "api_region" {
  description = "The region name the S3 API of the provider expects (eu-west-3 for sandbox-fr)."
  type        = string
  default     = "eu-west-3"
}
