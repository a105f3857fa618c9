# A bucket at a sandbox provider, from the shared module (relative source: no registry, no
# Python). For a real provider, use its module folder (modules/object_storage/<provider>) and
# configure its Terraform provider instead of the sandbox one below.

provider "aws" {
  # The sandbox (moto) speaks the S3 API; these settings make hashicorp/aws talk to it.
  region                      = var.api_region
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true

  endpoints {
    s3  = var.endpoint
    sts = var.endpoint
  }
}

module "assets" {
  source = "../../modules/object_storage/sandbox"

  name          = var.bucket_name
  location      = var.location
  endpoint      = var.endpoint
  versioning    = false
  force_destroy = true
  labels = {
    team = "platform"
  }
}
