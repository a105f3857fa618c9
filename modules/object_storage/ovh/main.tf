# An OVHcloud Public Cloud Object Storage (S3) bucket. The bucket resource has no
# force-destroy and no labels: force_destroy = true is refused rather than ignored.

locals {
  endpoint = "https://s3.${var.location}.io.cloud.ovh.net"
}

resource "ovh_cloud_project_storage" "this" {
  service_name = var.service_name
  region_name  = upper(var.location)
  name         = var.name

  # Left unset unless asked: a new bucket has no versioning.
  versioning = var.versioning ? { status = "enabled" } : null

  lifecycle {
    precondition {
      condition     = !var.force_destroy
      error_message = "The OVHcloud bucket resource has no force_destroy; empty the bucket before destroying it."
    }
  }
}
