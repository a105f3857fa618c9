output "fqdn" {
  description = "Fully qualified name of the record, without the trailing dot."
  value       = trimsuffix(stackit_dns_record_set.this.fqdn, ".")
}
