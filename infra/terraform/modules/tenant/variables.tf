variable "code" {
  description = "Tenant code (the application validates it; modules/country checks it at plan time)."
  type        = string
}

variable "name" {
  description = "Display name of the country deployment (e.g. Kenya)."
  type        = string
}

variable "locales" {
  description = "Locales offered to the tenant's users, the first being the default."
  type        = list(string)
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
