output "code" {
  description = "Code of the tenant this module created."
  value       = terraform_data.tenant.input.code
}
