terraform {
  required_version = ">= 1.5.0"

  required_providers {
    opentelekomcloud = {
      source  = "opentelekomcloud/opentelekomcloud"
      version = ">= 1.36.54, < 2.0"
    }
  }
}
