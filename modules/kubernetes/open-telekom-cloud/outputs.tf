output "cluster_id" {
  description = "Provider identifier of the cluster."
  value       = opentelekomcloud_cce_cluster_v3.this.id
}

output "api_endpoint" {
  description = "URL of the Kubernetes API server."
  value       = opentelekomcloud_cce_cluster_v3.this.external != "" ? opentelekomcloud_cce_cluster_v3.this.external : opentelekomcloud_cce_cluster_v3.this.internal
}

output "kubeconfig" {
  description = "Kubeconfig file of the cluster (sensitive)."
  value       = local.kubeconfig
  sensitive   = true
}
