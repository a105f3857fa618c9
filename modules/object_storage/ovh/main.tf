# An OVHcloud Public Cloud Object Storage (S3) bucket. The bucket resource has no
# force-destroy and no labels: force_destroy = true is refused rather than ignored.
# `location` is one of the catalog's object storage regions of provider ovhcloud
# (capabilities.object_storage.own_regions): OVHcloud's S3 region ids, which are not its
# compute regions (Sydney stores in ap-southeast-syd, computes in SYD1).

locals {
  # S3 region -> the region name of the storage API (/cloud/project/{serviceName}/region/
  # {regionName}/storage) and the provider's region_name; `fedstack catalog check` compares
  # this table with the catalog's api_region of each object storage region.
  storage_regions = {
    "gra"              = "GRA"
    "rbx"              = "RBX"
    "sbg"              = "SBG"
    "eu-west-par"      = "EU-WEST-PAR"
    "eu-south-mil"     = "EU-SOUTH-MIL"
    "de"               = "DE"
    "uk"               = "UK"
    "waw"              = "WAW"
    "bhs"              = "BHS"
    "ca-east-tor"      = "CA-EAST-TOR"
    "sgp"              = "SGP"
    "ap-southeast-syd" = "AP-SOUTHEAST-SYD"
    "ap-south-mum"     = "AP-SOUTH-MUM"
  }
  endpoint = "https://s3.${var.location}.io.cloud.ovh.net"
}

resource "ovh_cloud_project_storage" "this" {
  service_name = var.service_name
  region_name  = local.storage_regions[var.location]
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
