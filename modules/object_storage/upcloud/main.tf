# A bucket in UpCloud Managed Object Storage, in a service of its own unless one is given.
# UpCloud object storage regions are not zones: `location` is one of the catalog's object
# storage regions of provider upcloud (capabilities.object_storage.own_regions), with its own
# country, and the service is created in it.

locals {
  # Catalog object storage region -> the region name the UpCloud API expects (the same ids);
  # `fedstack catalog check` compares this table with the catalog.
  storage_regions = {
    "europe-1" = "europe-1"
    "europe-2" = "europe-2"
    "europe-3" = "europe-3"
    "us-1"     = "us-1"
    "apac-1"   = "apac-1"
  }
}

resource "upcloud_managed_object_storage" "this" {
  count = var.service_uuid == null ? 1 : 0

  name              = var.name
  region            = local.storage_regions[var.location]
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
