# An AWS platform with two countries (ke, so). `terraform apply` here is what
# `cpims provision --env infra/terraform/envs/aws-example --country <code>` runs.

# Secret values are generated at apply time and written straight to Secrets Manager
# (write-only attributes): they are in neither the state nor the plan. New values are
# written only when secrets_version changes.
ephemeral "aws_secretsmanager_random_password" "operator_api_key" {
  password_length     = 48
  exclude_punctuation = true
}

ephemeral "aws_secretsmanager_random_password" "app_db" {
  password_length     = 40
  exclude_punctuation = true
}

ephemeral "aws_secretsmanager_random_password" "kratos_db" {
  password_length     = 40
  exclude_punctuation = true
}

ephemeral "aws_secretsmanager_random_password" "kratos_default" {
  password_length     = 64
  exclude_punctuation = true
}

ephemeral "aws_secretsmanager_random_password" "kratos_cookie" {
  password_length     = 64
  exclude_punctuation = true
}

ephemeral "aws_secretsmanager_random_password" "device_key_secret" {
  password_length     = 48 # at least 32; no punctuation, so no comma ("new,old" separates secrets)
  exclude_punctuation = true
}

ephemeral "aws_secretsmanager_random_password" "kratos_cipher" {
  password_length     = 32 # Kratos requires exactly 32 characters
  exclude_punctuation = true
}

module "platform" {
  source = "../../modules/platform-aws"

  name                = var.name
  domain              = var.domain
  route53_zone_id     = var.route53_zone_id
  availability_zones  = var.availability_zones
  cpims_image         = var.cpims_image
  kratos_image        = var.kratos_image
  ecr_repository_arns = var.ecr_repository_arns
  alarm_actions       = var.alarm_actions

  operator_api_key      = ephemeral.aws_secretsmanager_random_password.operator_api_key.random_password
  app_db_password       = ephemeral.aws_secretsmanager_random_password.app_db.random_password
  kratos_db_password    = ephemeral.aws_secretsmanager_random_password.kratos_db.random_password
  kratos_default_secret = ephemeral.aws_secretsmanager_random_password.kratos_default.random_password
  kratos_cookie_secret  = ephemeral.aws_secretsmanager_random_password.kratos_cookie.random_password
  kratos_cipher_secret  = ephemeral.aws_secretsmanager_random_password.kratos_cipher.random_password
  kratos_smtp_uri       = var.kratos_smtp_uri
  secrets_version       = var.secrets_version

  kratos_cipher_secret_version = var.kratos_cipher_secret_version

  device_key_secret         = ephemeral.aws_secretsmanager_random_password.device_key_secret.random_password
  device_key_secret_version = var.device_key_secret_version
}

module "country" {
  source   = "../../modules/country"
  for_each = var.countries

  code     = each.key
  name     = each.value.name
  locales  = each.value.locales
  platform = module.platform.country_inputs

  # Tenant creation runs `cpims tenant create` as a one-off Fargate task of the worker
  # task definition (same image, secrets and IAM as the workers).
  create_tenant = var.create_tenants
  cpims_command = "${abspath(path.module)}/scripts/cpims-ecs.sh"
  cpims_command_environment = {
    AWS_REGION                = var.region
    CPIMS_ECS_CLUSTER         = module.platform.ecs_run_task.cluster
    CPIMS_ECS_TASK_DEFINITION = module.platform.ecs_run_task.task_definition
    CPIMS_ECS_CONTAINER       = module.platform.ecs_run_task.container
    CPIMS_ECS_SUBNETS         = join(",", module.platform.ecs_run_task.subnets)
    CPIMS_ECS_SECURITY_GROUPS = join(",", module.platform.ecs_run_task.security_groups)
  }
}
