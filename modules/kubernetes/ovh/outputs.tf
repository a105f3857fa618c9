output "cluster_id" {
  description = "Provider identifier of the cluster."
  value       = ovh_cloud_project_kube.this.id
}

output "api_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = ovh_cloud_project_kube.this.kubeconfig_attributes[0].host
}

output "kubeconfig" {
  description = "Kubeconfig file of the cluster (sensitive)."
  value       = ovh_cloud_project_kube.this.kubeconfig
  sensitive   = true
}
