variable "region" {
  description = "AWS region of the platform."
  type        = string
  default     = "eu-west-1"
}

variable "availability_zones" {
  description = "Availability zones in var.region."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

variable "name" {
  description = "Name of the platform installation."
  type        = string
  default     = "cpims-example"
}

variable "domain" {
  description = "Base domain (its hosted zone must exist in Route 53)."
  type        = string
  default     = "cpims.example.org"
}

variable "route53_zone_id" {
  description = "Hosted zone of var.domain."
  type        = string
}

variable "cpims_image" {
  description = "cpims image (Dockerfile target cpims), ideally pinned by digest."
  type        = string
}

variable "kratos_image" {
  description = "Kratos image (Dockerfile target kratos)."
  type        = string
}

variable "ecr_repository_arns" {
  description = "ECR repositories holding the two images."
  type        = list(string)
  default     = []
}

variable "alarm_actions" {
  description = "Where alarms go (e.g. an SNS topic ARN)."
  type        = list(string)
  default     = []
}

variable "kratos_smtp_uri" {
  description = "SMTP URI for Kratos' courier with SES SMTP credentials; pass it as TF_VAR_kratos_smtp_uri. Ephemeral: never stored in state."
  type        = string
  ephemeral   = true
  sensitive   = true
}

variable "secrets_version" {
  description = "Bump to generate and write new database passwords, operator API key and Kratos secrets except the cipher (see docs/runbook.md, Rotate secrets)."
  type        = number
  default     = 1
}

variable "device_key_secret_version" {
  description = "Bump only to replace the device key secret (see docs/runbook.md, device key secret, before doing so)."
  type        = number
  default     = 1
}

variable "kratos_cipher_secret_version" {
  description = "Bump only to replace Kratos' cipher secret (see docs/runbook.md before doing so)."
  type        = number
  default     = 1
}

variable "countries" {
  description = "The countries on this platform, by tenant code."
  type = map(object({
    name    = string
    locales = list(string)
  }))
  default = {
    ke = { name = "Kenya", locales = ["en", "sw"] }
    so = { name = "Somalia", locales = ["so", "en", "ar"] }
  }
}

variable "create_tenants" {
  description = "Create each country's tenant with a one-off cpims task when the country is first applied."
  type        = bool
  default     = true
}
