# A STACKIT Object Storage bucket. The bucket resource has no versioning, force-destroy or
# label settings: the first two are refused rather than ignored.

locals {
  endpoint = "https://object.storage.${var.location}.onstackit.cloud"
}

resource "stackit_objectstorage_bucket" "this" {
  project_id = var.project_id
  name       = var.name
  region     = var.location

  lifecycle {
    precondition {
      condition     = !var.versioning
      error_message = "This module cannot enable versioning at STACKIT: the bucket resource has no versioning setting; enable it with an S3 client."
    }
    precondition {
      condition     = !var.force_destroy
      error_message = "The STACKIT bucket resource has no force_destroy; empty the bucket before destroying it."
    }
  }
}
