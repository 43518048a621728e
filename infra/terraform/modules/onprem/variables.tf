# Connection

variable "host" {
  description = "Address of the server (Debian 12) reachable over SSH from where Terraform runs."
  type        = string
}

variable "ssh_user" {
  description = "SSH user: root, or a user with password-less sudo."
  type        = string
  default     = "root"
}

variable "ssh_port" {
  description = "SSH port."
  type        = number
  default     = 22
}

variable "ssh_host_key" {
  description = "The server's SSH public host key (e.g. \"ssh-ed25519 AAAA...\", from /etc/ssh/ssh_host_ed25519_key.pub). Terraform refuses to connect to any other key."
  type        = string

  validation {
    condition     = can(regex("^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/=]+", var.ssh_host_key))
    error_message = "ssh_host_key must be an OpenSSH public key line (ssh-ed25519 AAAA...)."
  }
}

variable "ssh_private_key" {
  description = "SSH private key. Leave null to use the SSH agent. Ephemeral: never stored."
  type        = string
  default     = null
  ephemeral   = true
  sensitive   = true
}

# Country

variable "domain" {
  description = "Base domain of this installation; the tenant answers on <code>.<domain>, the platform API on <domain>."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain))
    error_message = "domain must be a lower-case DNS name such as cpims.gov.example."
  }
}

variable "code" {
  description = "Tenant code of the country (same rules as modules/country)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,15}$", var.code))
    error_message = "code must be 2-16 characters, lower-case letters and digits, starting with a letter."
  }

  # The same reserved names as the application (tenancy/code.go): schema names (platform,
  # river, public, pg*) and host names the platform uses itself.
  validation {
    condition = !startswith(var.code, "pg") && !contains([
      "admin", "api", "app", "auth", "docs", "information", "kratos", "mail",
      "platform", "public", "river", "static", "status", "system", "www",
    ], var.code)
    error_message = "code is reserved: it must not start with pg nor be one of admin, api, app, auth, docs, information, kratos, mail, platform, public, river, static, status, system, www."
  }
}

variable "name" {
  description = "Display name of the country deployment."
  type        = string
}

variable "locales" {
  description = "Locales of the tenant, the first being the default."
  type        = list(string)

  validation {
    condition     = length(var.locales) > 0 && alltrue([for l in var.locales : can(regex("^[a-z]{2,3}(-[A-Z]{2})?$", l))])
    error_message = "locales must be a non-empty list of language tags such as en, fr, ar or pt-BR."
  }
}

variable "create_tenant" {
  description = "Run `cpims tenant create` on the server once the services are installed."
  type        = bool
  default     = true
}

# Software (uploaded from the machine running Terraform: the server needs no internet
# access except for Debian packages).

variable "cpims_binary" {
  description = "Local path of the cpims binary (linux, matching the server's architecture)."
  type        = string
}

variable "kratos_binary" {
  description = "Local path of the kratos binary built from infra/kratos."
  type        = string
}

variable "kratos_config_dir" {
  description = "Local directory with kratos.yml and the files it refers to (infra/kratos/config); installed as /etc/kratos."
  type        = string
}

variable "versitygw_binary" {
  description = "Local path of the versitygw (S3 server) binary built by infra/versitygw/build.sh (linux, static)."
  type        = string
}

variable "versitygw_binary_sha256" {
  description = "Expected SHA-256 of versitygw_binary (e.g. recorded when it was built and reviewed); the install refuses another file. Null skips the check."
  type        = string
  default     = null

  validation {
    condition     = var.versitygw_binary_sha256 == null || can(regex("^[0-9a-f]{64}$", var.versitygw_binary_sha256))
    error_message = "versitygw_binary_sha256 must be 64 lower-case hex characters."
  }
}

variable "object_store_dir" {
  description = "Directory of the attachments and exports (versitygw POSIX backend: one directory per bucket, one file per object). Put it on the large disk; its file system must support user extended attributes (ext4, xfs and btrfs do)."
  type        = string
  default     = "/var/lib/versitygw"
}

# TLS

variable "tls_mode" {
  description = "acme: public certificates from Let's Encrypt (ports 80/443 reachable from the internet); internal: Caddy's own CA (install its root on clients); files: a certificate issued by the government PKI, already on the server at tls_cert_path/tls_key_path."
  type        = string
  default     = "acme"

  validation {
    condition     = contains(["acme", "internal", "files"], var.tls_mode)
    error_message = "tls_mode must be acme, internal or files."
  }
}

variable "acme_email" {
  description = "Contact address for the ACME account (required when tls_mode = acme)."
  type        = string
  default     = null

  validation {
    condition     = var.tls_mode != "acme" || can(regex("^[^@\\s]+@[^@\\s]+$", var.acme_email))
    error_message = "acme_email is required when tls_mode is acme."
  }
}

variable "tls_cert_path" {
  description = "Certificate chain (PEM) on the server, covering <domain> and <code>.<domain> (tls_mode = files)."
  type        = string
  default     = null
}

variable "tls_key_path" {
  description = "Private key (PEM) on the server, readable by the caddy user (tls_mode = files)."
  type        = string
  default     = null

  validation {
    condition     = var.tls_mode != "files" || (var.tls_cert_path != null && var.tls_key_path != null)
    error_message = "tls_cert_path and tls_key_path are required when tls_mode is files."
  }
}

# Email

variable "smtp_host" {
  description = "SMTP relay for outgoing email (invites, password recovery, notifications)."
  type        = string
}

variable "smtp_port" {
  description = "SMTP port (587 for STARTTLS, 465 for implicit TLS)."
  type        = number
  default     = 587
}

variable "smtp_username" {
  description = "SMTP user name; empty for an unauthenticated relay."
  type        = string
  default     = ""
}

variable "smtp_password" {
  description = "SMTP password. Ephemeral: sent to the server (/etc/cpims/secrets, mode 0400), never stored in state. Null keeps the one already on the server."
  type        = string
  default     = null
  ephemeral   = true
  sensitive   = true
}

variable "email_from" {
  description = "Sender address. Defaults to no-reply@<domain>."
  type        = string
  default     = null
}

# Backups

variable "backup_age_recipients" {
  description = "age public keys (age1...) backups are encrypted to. Keep the matching private keys off the server."
  type        = list(string)

  validation {
    condition     = length(var.backup_age_recipients) > 0 && alltrue([for r in var.backup_age_recipients : can(regex("^age1[02-9ac-hj-np-z]{58}$", r))])
    error_message = "backup_age_recipients must hold at least one age X25519 public key (age1 followed by 58 characters)."
  }
}

variable "backup_dir" {
  description = "Directory on the server that receives the encrypted nightly dumps (ideally a separate disk, copied off-site)."
  type        = string
  default     = "/var/backups/cpims"
}

variable "backup_time" {
  description = "systemd OnCalendar time of the nightly backup (server local time)."
  type        = string
  default     = "*-*-* 02:30:00"
}

variable "backup_retention_days" {
  description = "Encrypted dumps older than this are deleted from backup_dir."
  type        = number
  default     = 30

  validation {
    condition     = var.backup_retention_days >= 7
    error_message = "Keep backups at least 7 days."
  }
}

variable "app_environment" {
  description = "Extra (or overriding) plain environment variables for cpims. Never put secrets here."
  type        = map(string)
  default     = {}
}
