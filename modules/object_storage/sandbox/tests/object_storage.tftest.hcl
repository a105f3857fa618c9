# Plan-only checks of the module's own logic with a mocked aws provider: no cloud, no moto.

mock_provider "aws" {}

variables {
  name     = "assets"
  location = "fr-par"
}

run "versioning_is_off_unless_asked" {
  command = plan

  assert {
    condition     = length(aws_s3_bucket_versioning.this) == 0 && aws_s3_bucket.this.force_destroy == false
    error_message = "no versioning and no force_destroy by default"
  }
}

run "versioning_and_labels_when_asked" {
  command = plan

  variables {
    versioning = true
    labels     = { team = "web" }
  }

  assert {
    condition     = length(aws_s3_bucket_versioning.this) == 1 && aws_s3_bucket.this.tags == tomap({ team = "web" })
    error_message = "versioning = true must add the versioning resource, labels must tag the bucket"
  }
}

run "invalid_bucket_name_is_refused" {
  command = plan

  variables {
    name = "Assets_Bucket"
  }

  expect_failures = [var.name]
}
