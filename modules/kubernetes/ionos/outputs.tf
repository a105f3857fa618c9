output "cluster_id" {
  description = "Provider identifier of the cluster."
  value       = ionoscloud_k8s_cluster.this.id
}

output "api_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = data.ionoscloud_k8s_cluster.this.server
}

output "kubeconfig" {
  description = "Kubeconfig file of the cluster (sensitive)."
  value       = data.ionoscloud_k8s_cluster.this.kube_config
  sensitive   = true
}
