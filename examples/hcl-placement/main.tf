# Where the object store goes: fedstack's placement engine under the policy, with every
# refused candidate and why.
data "fedstack_placement" "store" {
  capability = "object_storage"
  policy     = var.policy
  countries  = var.countries
}

# Enforce: a placement the policy fails stops `terraform plan` with the rule and the reason.
data "fedstack_policy_check" "store" {
  policy        = var.policy
  provider_name = data.fedstack_placement.store.provider
  region        = data.fedstack_placement.store.region
}

# What another stack (on another provider, with its state in the bridge) exposes.
data "fedstack_stack_outputs" "shared" {
  project = var.project
  stack   = var.shared_stack
}

# Stands in for `module "store" { source = ".../modules/${module}" ... }` (a module source
# cannot be computed): it records the decision, so a changed placement shows up in the plan.
resource "terraform_data" "store" {
  input = {
    provider           = data.fedstack_placement.store.provider
    region             = data.fedstack_placement.store.region
    terraform_provider = data.fedstack_placement.store.terraform_provider
    module             = data.fedstack_placement.store.module
    policy_outcome     = data.fedstack_policy_check.store.outcome
    shared_outputs     = data.fedstack_stack_outputs.shared.outputs
  }

  lifecycle {
    precondition {
      condition     = provider::fedstack::region_allowed(var.policy, data.fedstack_placement.store.provider, data.fedstack_placement.store.region)
      error_message = "The policy does not allow the chosen region."
    }
  }
}
