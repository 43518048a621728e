# South Sudan on one government server.
locals {
  # The one country of this server. `cpims provision` reads it from output.countries.
  country = { code = "ss", name = "South Sudan", locales = ["en", "ar"] }
}

module "country" {
  source = "../../modules/onprem"

  host            = var.host
  ssh_user        = var.ssh_user
  ssh_host_key    = var.ssh_host_key
  ssh_private_key = var.ssh_private_key

  domain  = "cpims.gov.ss.example"
  code    = local.country.code
  name    = local.country.name
  locales = local.country.locales

  cpims_binary      = "${var.artifacts_dir}/cpims"
  kratos_binary     = "${var.artifacts_dir}/kratos"
  versitygw_binary  = "${var.artifacts_dir}/versitygw"
  kratos_config_dir = "${path.root}/../../../kratos/config"

  tls_mode   = "acme"
  acme_email = "cpims-ops@gov.ss.example"

  smtp_host     = "smtp.gov.ss.example"
  smtp_port     = 587
  smtp_username = "cpims"
  smtp_password = var.smtp_password

  backup_age_recipients = var.backup_age_recipients
  backup_dir            = "/srv/backups/cpims"
}

output "countries" {
  description = "The country of this server (code => name, locales), as `cpims provision` expects."
  value       = { (local.country.code) = { name = local.country.name, locales = local.country.locales } }
}

output "urls" {
  description = "Tenant and platform addresses."
  value       = module.country.urls
}
