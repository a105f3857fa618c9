# A bucket in IONOS Object Storage, with versioning when asked. IONOS object storage regions
# are not compute locations: `location` is one of the catalog's object storage regions of
# provider ionos (capabilities.object_storage.own_regions), with its own country.

locals {
  # Object storage region -> S3 endpoint, as the ionoscloud provider's object storage client
  # maps them (services/objectstorage, v6.7); the catalog lists the same regions.
  storage_regions = {
    "eu-central-3" = "eu-central-3"
    "eu-central-4" = "eu-central-4"
    "us-central-1" = "us-central-1"
  }
  endpoint = "https://s3.${local.storage_regions[var.location]}.ionoscloud.com"
}

resource "ionoscloud_s3_bucket" "this" {
  name          = var.name
  region        = local.storage_regions[var.location]
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
