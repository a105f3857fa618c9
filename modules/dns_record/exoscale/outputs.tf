output "fqdn" {
  description = "Fully qualified name of the record, without the trailing dot."
  value       = var.name == "" ? trimsuffix(var.zone, ".") : "${var.name}.${trimsuffix(var.zone, ".")}"
}
