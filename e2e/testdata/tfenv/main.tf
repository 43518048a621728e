# Test environment of `cpims provision` (e2e/provision_test.go). It keeps the contract of
# infra/terraform/envs/*: countries are declared in the `countries` map of
# terraform.tfvars, exposed as the `countries` output, and each country's tenant is created
# by modules/tenant (`cpims tenant create --exists-ok`, the module modules/country uses).
# Only built-in resources, so init, plan and apply run offline.
#
# The test copies this directory next to a link to infra/terraform/modules, hence the
# module source.

terraform {
  required_version = ">= 1.11.0"
}

variable "countries" {
  description = "The countries of this environment, by tenant code."
  type = map(object({
    name    = string
    locales = list(string)
  }))
}

variable "create_tenants" {
  description = "Create each country's tenant during the apply (as envs/aws-example); if false, cpims provision does."
  type        = bool
  default     = true
}

variable "cpims_command" {
  description = "The cpims binary under test."
  type        = string
  default     = "cpims"
}

# Stands in for a country's infrastructure (modules/country's key, policy, ...).
resource "terraform_data" "country" {
  for_each = var.countries
  input    = each.key
}

module "tenant" {
  source   = "../modules/tenant"
  for_each = var.create_tenants ? var.countries : {}

  code          = each.key
  name          = each.value.name
  locales       = each.value.locales
  cpims_command = var.cpims_command

  depends_on = [terraform_data.country]
}

output "countries" {
  description = "The countries of this environment, as `cpims provision` expects."
  value       = var.countries
}
