terraform {
  required_version = ">= 1.5.0"

  required_providers {
    exoscale = {
      source  = "exoscale/exoscale"
      version = ">= 0.59, < 1.0"
    }
  }
}
