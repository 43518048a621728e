variable "host" {
  description = "Address of the country's server."
  type        = string
}

variable "ssh_user" {
  description = "SSH user (root or password-less sudo)."
  type        = string
  default     = "root"
}

variable "ssh_host_key" {
  description = "The server's SSH host public key (ssh-keyscan, checked out of band)."
  type        = string
}

variable "ssh_private_key" {
  description = "SSH private key; null uses the SSH agent."
  type        = string
  default     = null
  ephemeral   = true
  sensitive   = true
}

variable "smtp_password" {
  description = "SMTP relay password (e.g. TF_VAR_smtp_password); null keeps the server's."
  type        = string
  default     = null
  ephemeral   = true
  sensitive   = true
}

variable "artifacts_dir" {
  description = "Local directory holding the linux binaries cpims, kratos and versitygw."
  type        = string
  default     = "./artifacts"
}

variable "backup_age_recipients" {
  description = "age public keys of the people allowed to restore backups."
  type        = list(string)
}
