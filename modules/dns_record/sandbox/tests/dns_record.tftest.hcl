# Plan-only checks of the module's own logic with a mocked aws provider: no cloud, no moto.

mock_provider "aws" {
  mock_data "aws_route53_zone" {
    defaults = {
      zone_id = "Z123"
    }
  }
}

variables {
  zone    = "example.eu."
  name    = "www"
  type    = "A"
  records = ["192.0.2.1"]
}

run "relative_name_becomes_a_name_in_the_zone" {
  command = plan

  assert {
    condition     = aws_route53_record.this.name == "www.example.eu" && aws_route53_record.this.zone_id == "Z123"
    error_message = "www in example.eu. must be written as www.example.eu in the looked-up zone"
  }
  assert {
    condition     = aws_route53_record.this.ttl == 300
    error_message = "the default ttl is 300"
  }
}

run "empty_name_is_the_zone_apex" {
  command = plan

  variables {
    name = ""
  }

  assert {
    condition     = aws_route53_record.this.name == "example.eu"
    error_message = "an empty name must be the apex"
  }
}

run "unknown_type_empty_records_and_short_ttl_are_refused" {
  command = plan

  variables {
    type    = "SPF"
    records = []
    ttl     = 5
  }

  expect_failures = [var.type, var.records, var.ttl]
}
