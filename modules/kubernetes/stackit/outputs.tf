output "cluster_id" {
  description = "Provider identifier of the cluster."
  value       = stackit_ske_cluster.this.id
}

output "api_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = yamldecode(stackit_ske_kubeconfig.this.kube_config)["clusters"][0]["cluster"]["server"]
}

output "kubeconfig" {
  description = "Kubeconfig file of the cluster (sensitive)."
  value       = stackit_ske_kubeconfig.this.kube_config
  sensitive   = true
}
