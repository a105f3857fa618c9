# An Object Storage Service (OBS) bucket, S3-compatible at obs.<region>.otc.t-systems.com.

locals {
  endpoint = "https://obs.${var.location}.otc.t-systems.com"
}

resource "opentelekomcloud_obs_bucket" "this" {
  bucket        = var.name
  region        = var.location
  versioning    = var.versioning
  force_destroy = var.force_destroy
  tags          = var.labels
}
