output "placement" {
  description = "Provider, region and country chosen for the object store, and why."
  value = {
    provider = data.fedstack_placement.store.provider
    region   = data.fedstack_placement.store.region
    country  = data.fedstack_placement.store.country
    module   = data.fedstack_placement.store.module
    why      = data.fedstack_placement.store.why
  }
}

output "refused" {
  description = "Every candidate not taken: provider/region -> stage, rule and reason."
  value = {
    for r in data.fedstack_placement.store.refused :
    "${r.provider}/${r.region}" => "${r.stage} ${r.rule}: ${r.reason}"
  }
}

output "policy_outcome" {
  description = "The policy's verdict on the placement (pass, fail or unknown)."
  value       = data.fedstack_policy_check.store.outcome
}

output "shared_outputs" {
  description = "The other stack's non-sensitive outputs."
  value       = data.fedstack_stack_outputs.shared.outputs
}
