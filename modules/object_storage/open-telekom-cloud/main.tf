# An Object Storage Service (OBS) bucket, S3-compatible at obs.<region>.otc.t-systems.com
# (the Swiss region eu-ch2 at obs.eu-ch2.sc.otc.t-systems.com, as the catalog says).

locals {
  endpoint = (var.location == "eu-ch2"
    ? "https://obs.eu-ch2.sc.otc.t-systems.com"
  : "https://obs.${var.location}.otc.t-systems.com")
}

resource "opentelekomcloud_obs_bucket" "this" {
  bucket        = var.name
  region        = var.location
  versioning    = var.versioning
  force_destroy = var.force_destroy
  tags          = var.labels
}
