output "bucket_name" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.bucket
}

output "endpoint" {
  description = "S3 endpoint URL the bucket is reached at."
  value       = local.endpoint
}

output "location" {
  description = "Catalog region the bucket lives in."
  value       = var.location
}

output "id" {
  description = "Provider identifier of the bucket."
  value       = aws_s3_bucket.this.id
}
