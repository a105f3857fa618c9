terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 6.0"
    }
  }

  # The fedstack bridge as state backend. Nothing here names it: the address and the token come
  # from the environment (TF_HTTP_ADDRESS, TF_HTTP_LOCK_ADDRESS, TF_HTTP_UNLOCK_ADDRESS,
  # TF_HTTP_USERNAME, TF_HTTP_PASSWORD) or from -backend-config at init; see README.md.
  backend "http" {
    lock_method   = "LOCK"
    unlock_method = "UNLOCK"
  }
}
