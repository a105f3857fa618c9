# A bucket in Hetzner Object Storage. Hetzner offers no bucket resource of its own: the
# storage is reached through its S3-compatible endpoint with hashicorp/aws, which the root
# configures (endpoint, credentials, path-style), never this module.

locals {
  endpoint = "https://${var.location}.your-objectstorage.com"
}

resource "aws_s3_bucket" "this" {
  bucket        = var.name
  force_destroy = var.force_destroy
  tags          = var.tag_bucket ? var.labels : {}
}

resource "aws_s3_bucket_versioning" "this" {
  count  = var.versioning ? 1 : 0
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}
