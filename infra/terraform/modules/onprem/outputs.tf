output "urls" {
  description = "Tenant web application and platform API."
  value = {
    tenant   = "https://${var.code}.${var.domain}/"
    platform = "https://${var.domain}/"
  }
}

output "rendered_files" {
  description = "Paths and contents of the files the install writes (no secrets among them)."
  value       = { for path, f in local.files : path => f.content }
}

output "backup_dir" {
  description = "Where the nightly encrypted dumps land on the server."
  value       = var.backup_dir
}
