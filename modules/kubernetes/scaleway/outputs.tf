output "cluster_id" {
  description = "Provider identifier of the cluster."
  value       = scaleway_k8s_cluster.this.id
}

output "api_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = scaleway_k8s_cluster.this.apiserver_url
}

output "kubeconfig" {
  description = "Kubeconfig file of the cluster (sensitive)."
  value       = scaleway_k8s_cluster.this.kubeconfig[0].config_file
  sensitive   = true
}
