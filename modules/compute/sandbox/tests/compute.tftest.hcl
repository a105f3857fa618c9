# Plan-only checks of the module's own logic with a mocked aws provider: no cloud, no moto.

mock_provider "aws" {
  mock_data "aws_subnets" {
    defaults = {
      ids = ["subnet-bbbb", "subnet-aaaa"]
    }
  }
}

variables {
  name       = "web"
  size       = "s"
  image      = "debian-12"
  location   = "fr-par"
  network_id = "vpc-1234"
}

run "size_and_image_map_to_the_catalog_tables" {
  command = plan

  assert {
    condition     = aws_instance.this.instance_type == "t3.small"
    error_message = "size s must map to t3.small"
  }
  assert {
    condition     = aws_instance.this.ami == "ami-04681a1dbd79675a5"
    error_message = "debian-12 must map to the catalog's AMI"
  }
  assert {
    condition     = aws_instance.this.subnet_id == "subnet-aaaa"
    error_message = "the instance must attach to the network's first subnet by ID"
  }
  assert {
    condition     = length(aws_key_pair.this) == 0
    error_message = "no key pair without ssh_public_key"
  }
}

run "flavour_and_image_id_override_the_tables" {
  command = plan

  variables {
    flavour  = "m5.large"
    image_id = "ami-override"
  }

  assert {
    condition     = aws_instance.this.instance_type == "m5.large" && aws_instance.this.ami == "ami-override"
    error_message = "flavour and image_id must win over size and image"
  }
}

run "unknown_size_is_refused" {
  command = plan

  variables {
    size = "xxl"
  }

  expect_failures = [var.size]
}

run "unknown_image_is_refused" {
  command = plan

  variables {
    image = "plan9"
  }

  expect_failures = [aws_instance.this]
}
