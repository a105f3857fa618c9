output "fqdn" {
  description = "Fully qualified name of the record, without the trailing dot."
  value       = trimsuffix(opentelekomcloud_dns_recordset_v2.this.name, ".")
}
