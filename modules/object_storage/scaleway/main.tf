# A Scaleway Object Storage bucket (S3-compatible endpoint s3.<region>.scw.cloud).

locals {
  endpoint = "https://s3.${var.location}.scw.cloud"
}

resource "scaleway_object_bucket" "this" {
  name          = var.name
  region        = var.location
  force_destroy = var.force_destroy
  tags          = var.labels

  versioning {
    enabled = var.versioning
  }
}
