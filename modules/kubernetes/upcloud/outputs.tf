output "cluster_id" {
  description = "Provider identifier of the cluster."
  value       = upcloud_kubernetes_cluster.this.id
}

output "api_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = data.upcloud_kubernetes_cluster.this.host
}

output "kubeconfig" {
  description = "Kubeconfig file of the cluster (sensitive)."
  value       = data.upcloud_kubernetes_cluster.this.kubeconfig
  sensitive   = true
}
