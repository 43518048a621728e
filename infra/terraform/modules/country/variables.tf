variable "code" {
  description = "Tenant code: the subdomain (<code>.<domain>) and the schema suffix (tenant_<code>). Same rules as the application."
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
  description = "Display name of the country deployment (e.g. Kenya)."
  type        = string

  validation {
    condition     = length(trimspace(var.name)) > 0 && length(var.name) <= 100
    error_message = "name must be 1-100 characters."
  }
}

variable "locales" {
  description = "Locales offered to the tenant's users, the first being the default (e.g. [\"en\", \"sw\"])."
  type        = list(string)

  validation {
    condition     = length(var.locales) > 0 && alltrue([for l in var.locales : can(regex("^[a-z]{2,3}(-[A-Z]{2})?$", l))])
    error_message = "locales must be a non-empty list of language tags such as en, fr, ar or pt-BR."
  }
}

variable "platform" {
  description = "The platform this country joins: the country_inputs output of modules/platform-aws."
  type = object({
    name                  = string
    domain                = string
    route53_zone_id       = string
    region                = string
    account_id            = string
    partition             = string
    bucket_arn            = string
    tenants_prefix        = string
    exports_prefix        = string
    ses_identity_arn      = string
    ses_config_set_prefix = string
    alb_dns_name          = string
    alb_zone_id           = string
    app_task_role_names   = map(string)
    app_task_role_arns    = map(string)
  })
}

variable "create_dns_record" {
  description = "Create <code>.<domain> explicitly. Not needed while the platform's wildcard record exists."
  type        = bool
  default     = false
}

variable "create_tenant" {
  description = "Run `cpims tenant create` once when this country is first applied."
  type        = bool
  default     = true
}

variable "cpims_command" {
  description = "Command that runs the cpims CLI; the module appends `tenant create ...`. A local binary (cpims), or a wrapper that runs it on the platform, e.g. envs/aws-example/scripts/cpims-ecs.sh."
  type        = string
  default     = "cpims"
}

variable "cpims_command_environment" {
  description = "Environment variables for cpims_command (e.g. which cluster and task definition the wrapper uses). No secrets."
  type        = map(string)
  default     = {}
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the tenant key is really deleted once scheduled."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}
