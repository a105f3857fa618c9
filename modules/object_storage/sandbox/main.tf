# Object storage on a sandbox provider: an S3 bucket on the provider's moto server, reached
# through hashicorp/aws with custom endpoints (configured by the root, never here).

resource "aws_s3_bucket" "this" {
  bucket        = var.name
  force_destroy = var.force_destroy
  tags          = var.labels
}

resource "aws_s3_bucket_versioning" "this" {
  count  = var.versioning ? 1 : 0
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}
