# A bucket in UpCloud Managed Object Storage, in a service of its own unless one is given.

resource "upcloud_managed_object_storage" "this" {
  count = var.service_uuid == null ? 1 : 0

  name              = var.name
  region            = var.storage_region
  configured_status = "started"
  labels            = var.labels

  network {
    family = "IPv4"
    name   = "public"
    type   = "public"
  }
}

locals {
  service_uuid = var.service_uuid != null ? var.service_uuid : upcloud_managed_object_storage.this[0].id
  endpoint = try(
    "https://${one([for e in upcloud_managed_object_storage.this[0].endpoint : e.domain_name if e.type == "public"])}",
    "",
  )
}

resource "upcloud_managed_object_storage_bucket" "this" {
  service_uuid = local.service_uuid
  name         = var.name

  lifecycle {
    precondition {
      condition     = !var.versioning
      error_message = "This module cannot enable versioning at UpCloud: its bucket resource has no versioning setting; enable it with an S3 client."
    }
    precondition {
      condition     = !var.force_destroy
      error_message = "The UpCloud bucket resource has no force_destroy; empty the bucket before destroying it."
    }
  }
}
