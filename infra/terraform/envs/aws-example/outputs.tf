output "countries" {
  description = "The countries of this environment (code => name, locales). `cpims provision` reads it from the plan: a country must be declared here to be provisioned."
  value       = var.countries
}

output "tenant_urls" {
  description = "Web address of each country."
  value       = { for code, c in module.country : code => c.url }
}

output "platform_api" {
  description = "Platform API (hosting team)."
  value       = "https://${var.domain}/api/platform/v1"
}

output "ecs_run_task" {
  description = "Inputs of scripts/cpims-ecs.sh for one-off cpims commands (migrate, tenant ...)."
  value       = module.platform.ecs_run_task
}

output "db_master_secret_arn" {
  description = "RDS-managed master credentials (database bootstrap only)."
  value       = module.platform.db_master_secret_arn
}

output "secret_arns" {
  description = "Application secrets."
  value       = module.platform.secret_arns
}
