output "code" {
  description = "Tenant code."
  value       = var.code
}

output "url" {
  description = "Address of the tenant's web application."
  value       = "https://${var.code}.${var.platform.domain}/"
}

output "kms_key_arn" {
  description = "KMS key for this tenant's objects (SSE-KMS key id for uploads under its prefixes)."
  value       = aws_kms_key.tenant.arn
}

output "s3_prefixes" {
  description = "Bucket prefixes this tenant's data lives under."
  value       = local.prefixes
}

output "ses_configuration_set" {
  description = "SES configuration set to send this tenant's email with."
  value       = aws_sesv2_configuration_set.tenant.configuration_set_name
}

output "iam_policy_arn" {
  description = "Policy granting the cpims task roles access to this tenant's data."
  value       = aws_iam_policy.tenant.arn
}
