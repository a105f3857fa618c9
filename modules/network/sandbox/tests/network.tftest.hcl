# Plan-only checks of the module's own logic with a mocked aws provider: no cloud, no moto.

mock_provider "aws" {}

variables {
  name     = "net"
  cidr     = "10.20.0.0/16"
  location = "fr-par"
  labels   = { team = "web" }
}

run "subnet_spans_the_network_and_both_carry_the_labels" {
  command = plan

  assert {
    condition     = aws_vpc.this.cidr_block == "10.20.0.0/16" && aws_subnet.this.cidr_block == "10.20.0.0/16"
    error_message = "without subnet_cidr the subnet must span the VPC"
  }
  assert {
    condition     = aws_vpc.this.tags == tomap({ team = "web", Name = "net" }) && aws_subnet.this.tags == aws_vpc.this.tags
    error_message = "labels plus Name must tag the VPC and the subnet"
  }
}

run "subnet_cidr_narrows_the_subnet" {
  command = plan

  variables {
    subnet_cidr = "10.20.1.0/24"
  }

  assert {
    condition     = aws_subnet.this.cidr_block == "10.20.1.0/24"
    error_message = "subnet_cidr must set the subnet's range"
  }
}

run "a_cidr_that_is_not_a_range_is_refused" {
  command = plan

  variables {
    cidr = "10.20.0.0"
  }

  expect_failures = [var.cidr]
}
