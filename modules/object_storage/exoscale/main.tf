# A bucket in Exoscale Simple Object Storage (SOS), reached through its S3-compatible
# endpoint with hashicorp/aws as Exoscale documents; the root configures the provider.

locals {
  endpoint = "https://sos-${var.location}.exo.io"
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
