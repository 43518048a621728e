variable "name" {
  description = "Name of this platform installation (e.g. cpims-prod). Prefixes every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,19}$", var.name))
    error_message = "name must be 3-20 characters: lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "domain" {
  description = "Base domain. The platform API answers on the bare domain, tenant <code> on <code>.<domain>."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain))
    error_message = "domain must be a lower-case DNS name such as cpims.example.org."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone that holds var.domain (ACM validation, wildcard record, SES DKIM)."
  type        = string
}

variable "availability_zones" {
  description = "Availability zones to spread subnets over (at least two: RDS Multi-AZ and the ALB need them)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 4
    error_message = "Give between two and four availability zones."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC (/16 to /20), cut into sixteen equal blocks: 0-3 public (ALB), 4-7 private (tasks), 8-11 database."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && can(regex("/(1[6-9]|20)$", var.vpc_cidr))
    error_message = "vpc_cidr must be a valid IPv4 CIDR between /16 and /20."
  }
}

variable "single_nat_gateway" {
  description = "Use one NAT gateway for all zones (cheaper, not zone-redundant). Defaults to one per zone."
  type        = bool
  default     = false
}

variable "cpims_image" {
  description = "Container image of the cpims binary (Dockerfile target cpims), pinned by digest or immutable tag."
  type        = string
}

variable "kratos_image" {
  description = "Container image of Ory Kratos built from infra/kratos (Dockerfile target kratos)."
  type        = string
}

variable "cpu_architecture" {
  description = "CPU architecture of the Fargate tasks: X86_64 or ARM64 (the images must match)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "api" {
  description = "Sizing and autoscaling of the API service (cpims serve)."
  type = object({
    cpu        = optional(number, 512)
    memory     = optional(number, 1024)
    min_count  = optional(number, 2)
    max_count  = optional(number, 10)
    cpu_target = optional(number, 60)
  })
  default = {}

  validation {
    condition     = var.api.min_count >= 1 && var.api.max_count >= var.api.min_count
    error_message = "api.min_count must be at least 1 and not above api.max_count."
  }
}

variable "worker" {
  description = "Sizing and autoscaling of the worker service (cpims worker)."
  type = object({
    cpu        = optional(number, 512)
    memory     = optional(number, 1024)
    min_count  = optional(number, 1)
    max_count  = optional(number, 6)
    cpu_target = optional(number, 60)
  })
  default = {}

  validation {
    condition     = var.worker.min_count >= 1 && var.worker.max_count >= var.worker.min_count
    error_message = "worker.min_count must be at least 1 and not above worker.max_count."
  }
}

variable "kratos" {
  description = "Sizing and autoscaling of the Ory Kratos service."
  type = object({
    cpu        = optional(number, 256)
    memory     = optional(number, 512)
    min_count  = optional(number, 2)
    max_count  = optional(number, 6)
    cpu_target = optional(number, 60)
  })
  default = {}

  validation {
    condition     = var.kratos.min_count >= 1 && var.kratos.max_count >= var.kratos.min_count
    error_message = "kratos.min_count must be at least 1 and not above kratos.max_count."
  }
}

variable "kratos_config_file" {
  description = "Path of kratos.yml inside the Kratos image (the Dockerfile copies infra/kratos/config to /etc/kratos)."
  type        = string
  default     = "/etc/kratos/kratos.yml"
}

variable "api_health_check_path" {
  description = "HTTP path the ALB polls on the API containers. /healthz (liveness) rather than /readyz, so that a Kratos or database blip does not make ECS replace every task at once."
  type        = string
  default     = "/healthz"
}

variable "app_environment" {
  description = "Extra (or overriding) plain environment variables for the cpims containers. Never put secrets here."
  type        = map(string)
  default     = {}
}

variable "kratos_environment" {
  description = "Extra (or overriding) plain environment variables for the Kratos container. Never put secrets here."
  type        = map(string)
  default     = {}

  validation {
    # Kratos reads every config key from the environment; "dev" drops the Secure flag of its
    # session cookie (and more). The app is always https here.
    condition     = !contains([for k in keys(var.kratos_environment) : upper(k)], "DEV")
    error_message = "DEV would run Kratos in development mode, whose cookies are not Secure: not on an https deployment."
  }
}

variable "enable_execute_command" {
  description = "Allow ECS Exec into the tasks. Needs a writable root filesystem, so it turns readonlyRootFilesystem off; keep false outside of incidents."
  type        = bool
  default     = false
}

variable "ecr_repository_arns" {
  description = "ECR repositories the images are pulled from; the execution role may pull from these only. Empty when images come from elsewhere."
  type        = list(string)
  default     = []
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.r6g.large"
}

variable "db_engine_version" {
  description = "PostgreSQL engine version (major 15)."
  type        = string
  default     = "15"

  validation {
    condition     = can(regex("^15(\\.[0-9]+)?$", var.db_engine_version))
    error_message = "The platform is built for PostgreSQL 15: use 15 or 15.<minor>."
  }
}

variable "db_allocated_storage" {
  description = "Initial RDS storage in GiB."
  type        = number
  default     = 100
}

variable "db_max_allocated_storage" {
  description = "Upper bound in GiB for RDS storage autoscaling."
  type        = number
  default     = 1000
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (and of point-in-time recovery). At least 30."
  type        = number
  default     = 30

  validation {
    condition     = var.db_backup_retention_days >= 30 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 30 and 35 (the RDS maximum)."
  }
}

variable "db_free_storage_alarm_bytes" {
  description = "Alarm when free RDS storage falls below this many bytes."
  type        = number
  default     = 10737418240
}

variable "log_retention_days" {
  description = "Retention of the CloudWatch log groups."
  type        = number
  default     = 365

  validation {
    condition     = contains([30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch retention value of at least 30 days."
  }
}

variable "exports_expiry_days" {
  description = "Days after which objects under exports/ are deleted."
  type        = number
  default     = 7

  validation {
    condition     = var.exports_expiry_days >= 1
    error_message = "exports_expiry_days must be at least 1."
  }
}

variable "noncurrent_version_expiry_days" {
  description = "Days a deleted or overwritten object version is kept before it is removed."
  type        = number
  default     = 90
}

variable "bucket_name" {
  description = "Name of the attachments/exports bucket. Defaults to <name>-files-<account id>."
  type        = string
  default     = null
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener. Only TLS 1.2+ policies are accepted."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-(TLS13-1-[23]-|FS-1-2-)", var.ssl_policy))
    error_message = "ssl_policy must be a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-*, ELBSecurityPolicy-TLS13-1-3-* or ELBSecurityPolicy-FS-1-2-*)."
  }
}

variable "email_from_local_part" {
  description = "Local part of the sender address (<local part>@<domain>)."
  type        = string
  default     = "no-reply"
}

variable "create_dmarc_record" {
  description = "Publish a DMARC record for the domain. Turn off when the zone already has one."
  type        = bool
  default     = true
}

variable "alarm_actions" {
  description = "ARNs (e.g. an SNS topic) notified when an alarm fires or recovers."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  description = "Deletion protection on the database and the load balancer. Leave true in every real environment."
  type        = bool
  default     = true
}

# Secret values. They are ephemeral: Terraform writes them to Secrets Manager through
# write-only attributes and never stores them in state or plan files. The caller generates
# them (envs/aws-example uses ephemeral aws_secretsmanager_random_password).

variable "operator_api_key" {
  description = "API key of hosting operators on the platform API (CPIMS_OPERATOR_API_KEY)."
  type        = string
  ephemeral   = true
  sensitive   = true
}

variable "app_db_password" {
  description = "Password of the cpims_app database login role (written to Secrets Manager only)."
  type        = string
  ephemeral   = true
  sensitive   = true
}

variable "kratos_db_password" {
  description = "Password of the kratos database login role (written to Secrets Manager only)."
  type        = string
  ephemeral   = true
  sensitive   = true
}

variable "kratos_default_secret" {
  description = "Kratos default secret (secrets.default, at least 32 characters)."
  type        = string
  ephemeral   = true
  sensitive   = true
}

variable "kratos_cookie_secret" {
  description = "Kratos cookie signing secret (at least 32 characters)."
  type        = string
  ephemeral   = true
  sensitive   = true
}

variable "kratos_cipher_secret" {
  description = "Kratos cipher secret (exactly 32 characters)."
  type        = string
  ephemeral   = true
  sensitive   = true
}

variable "device_key_secret" {
  description = "Secret sealing the device keys at rest (CPIMS_DEVICE_KEY_SECRET; at least 32 characters, no comma): \"NEW,OLD\" while rotating (docs/runbook.md)."
  type        = string
  ephemeral   = true
  sensitive   = true
}

variable "kratos_smtp_uri" {
  description = "SMTP URI of Kratos' courier (invites, recovery codes), e.g. smtp://<SES SMTP user>:<password>@email-smtp.<region>.amazonaws.com:587/."
  type        = string
  ephemeral   = true
  sensitive   = true
}

variable "secrets_version" {
  description = "Bump to write new values of every secret above except the Kratos cipher secret (rotation); see docs/runbook.md."
  type        = number
  default     = 1
}

variable "device_key_secret_version" {
  description = "Bump to write a new device_key_secret. Device keys sealed with the old value stop opening (offline copies of pin_and_server devices are lost) unless the new value is \"new,old\" and `cpims devices reseal --all` runs before the old is dropped."
  type        = number
  default     = 1
}

variable "kratos_cipher_secret_version" {
  description = "Bump to write a new kratos_cipher_secret. Data Kratos encrypted with the old value becomes unreadable unless the new value is \"new,old\"."
  type        = number
  default     = 1
}
