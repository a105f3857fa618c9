output "cluster_id" {
  description = "Provider identifier of the cluster."
  value       = exoscale_sks_cluster.this.id
}

output "api_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = exoscale_sks_cluster.this.endpoint
}

output "kubeconfig" {
  description = "Kubeconfig file of the cluster (sensitive)."
  value       = exoscale_sks_kubeconfig.admin.kubeconfig
  sensitive   = true
}
