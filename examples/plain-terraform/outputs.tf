output "bucket_name" {
  description = "The bucket's name."
  value       = module.assets.bucket_name
}

output "endpoint" {
  description = "Where the bucket is reached."
  value       = module.assets.endpoint
}
