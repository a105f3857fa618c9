# A bucket in IONOS Object Storage, with versioning when asked.

locals {
  endpoint = "https://s3.${var.s3_region}.ionoscloud.com"
}

resource "ionoscloud_s3_bucket" "this" {
  name          = var.name
  region        = var.s3_region
  force_destroy = var.force_destroy
  tags          = var.labels
}

resource "ionoscloud_s3_bucket_versioning" "this" {
  count  = var.versioning ? 1 : 0
  bucket = ionoscloud_s3_bucket.this.name

  versioning_configuration {
    status = "Enabled"
  }
}
