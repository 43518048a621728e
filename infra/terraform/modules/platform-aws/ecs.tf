# ECS on Fargate: three services in the private subnets, all in the app security group.
#   api    - cpims serve, behind the ALB (port 8080)
#   worker - cpims worker (River), no inbound traffic
#   kratos - Ory Kratos, public (4433) and admin (4434) APIs reachable by the cpims tasks
#            only, at kratos.<name>.internal; cpims proxies the public API to browsers
# Kratos runs its SQL migrations in an init container before the server starts.
# Settings follow the cpims flags (CPIMS_<FLAG>, see cmd/cpims) and Kratos' config keys.

resource "aws_cloudwatch_log_group" "service" {
  for_each = toset(["api", "worker", "kratos"])

  name              = "/cpims/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_cloudwatch_log_group" "exec" {
  name              = "/cpims/${var.name}/ecs-exec"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  configuration {
    execute_command_configuration {
      kms_key_id = aws_kms_key.logs.arn
      logging    = "OVERRIDE"

      log_configuration {
        cloud_watch_encryption_enabled = true
        cloud_watch_log_group_name     = aws_cloudwatch_log_group.exec.name
      }
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

resource "aws_service_discovery_private_dns_namespace" "this" {
  name        = local.internal_namespace
  description = "Internal service names of ${var.name}"
  vpc         = aws_vpc.this.id
}

resource "aws_service_discovery_service" "kratos" {
  name = "kratos"

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.this.id
    routing_policy = "MULTIVALUE"

    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

locals {
  app_base_environment = {
    CPIMS_ADDR              = ":8080"
    CPIMS_BASE_DOMAIN       = var.domain
    CPIMS_LOG_FORMAT        = "json"
    CPIMS_EMAIL_URL         = "ses://?region=${local.region}&from=${local.email_from}"
    CPIMS_KRATOS_PUBLIC_URL = "http://${local.kratos_internal}:4433"
    CPIMS_KRATOS_ADMIN_URL  = "http://${local.kratos_internal}:4434"
    # The origin Kratos' URLs below use; cpims rewrites it to each tenant's host under /.ory/.
    CPIMS_APP_URL = "https://${var.domain}"
    # Object storage settings for the attachments/exports code (bucket layout: see storage.tf).
    CPIMS_S3_BUCKET = aws_s3_bucket.files.bucket
    CPIMS_S3_REGION = local.region
  }

  # The Go runtime's soft memory limit at three quarters of each cpims task's memory (the rest
  # for the runtime's own and the kernel's), and for the worker the collector's growth at 400 %
  # up to that limit: matching runs allocate fast, and at Go's default the collector took a
  # large share of a run's CPU (docs/runbook.md, Worker memory). var.app_environment overrides.
  memory_environment = {
    api = { CPIMS_MEMORY_LIMIT = "${floor(var.api.memory * 3 / 4)}MiB" }
    worker = {
      CPIMS_MEMORY_LIMIT = "${floor(var.worker.memory * 3 / 4)}MiB"
      CPIMS_GC_PERCENT   = "400"
    }
  }

  kratos_environment = merge(
    {
      SERVE_PUBLIC_HOST                      = "0.0.0.0"
      SERVE_ADMIN_HOST                       = "0.0.0.0"
      SERVE_PUBLIC_BASE_URL                  = "https://${var.domain}/.ory/"
      SERVE_ADMIN_BASE_URL                   = "http://${local.kratos_internal}:4434/"
      IDENTITY_SCHEMAS                       = jsonencode([{ id = "person", url = "file://${dirname(var.kratos_config_file)}/identity.schema.json" }])
      SELFSERVICE_FLOWS_REGISTRATION_ENABLED = "false"
      SELFSERVICE_METHODS_PROFILE_ENABLED    = "false"
      SELFSERVICE_DEFAULT_BROWSER_RETURN_URL = "https://${var.domain}/"
      SELFSERVICE_ALLOWED_RETURN_URLS        = "https://${var.domain}/,https://*.${var.domain}/"
      SELFSERVICE_FLOWS_LOGIN_UI_URL         = "https://${var.domain}/auth/login"
      SELFSERVICE_FLOWS_REGISTRATION_UI_URL  = "https://${var.domain}/auth/registration"
      SELFSERVICE_FLOWS_SETTINGS_UI_URL      = "https://${var.domain}/auth/settings"
      SELFSERVICE_FLOWS_RECOVERY_UI_URL      = "https://${var.domain}/auth/recovery"
      SELFSERVICE_FLOWS_VERIFICATION_UI_URL  = "https://${var.domain}/auth/verification"
      SELFSERVICE_FLOWS_ERROR_UI_URL         = "https://${var.domain}/auth/error"
      COURIER_SMTP_FROM_ADDRESS              = local.email_from
      LOG_FORMAT                             = "json"
      LOG_LEAK_SENSITIVE_VALUES              = "false"
    },
    var.kratos_environment,
  )

  app_secrets = [
    { name = "CPIMS_DATABASE_URL", valueFrom = "${aws_secretsmanager_secret.app.arn}:url::" },
  ]

  device_key_secret = { name = "CPIMS_DEVICE_KEY_SECRET", valueFrom = aws_secretsmanager_secret.device_keys.arn }

  kratos_secrets = [
    { name = "DSN", valueFrom = "${aws_secretsmanager_secret.kratos.arn}:dsn::" },
    { name = "SECRETS_DEFAULT", valueFrom = "${aws_secretsmanager_secret.kratos.arn}:default_secret::" },
    { name = "SECRETS_COOKIE", valueFrom = "${aws_secretsmanager_secret.kratos.arn}:cookie_secret::" },
    { name = "SECRETS_CIPHER", valueFrom = aws_secretsmanager_secret.kratos_cipher.arn },
    { name = "COURIER_SMTP_CONNECTION_URI", valueFrom = "${aws_secretsmanager_secret.kratos.arn}:smtp_uri::" },
  ]

  # Settings every container shares: non-root, no Linux capabilities, read-only root
  # filesystem (ECS Exec needs it writable), a scratch /tmp, logs to CloudWatch.
  container_base = {
    user                   = "65532:65532"
    readonlyRootFilesystem = !var.enable_execute_command
    linuxParameters = {
      initProcessEnabled = true
      capabilities       = { drop = ["ALL"] }
    }
    mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
  }

  services = {
    api = {
      size        = var.api
      command     = ["serve"]
      image       = var.cpims_image
      environment = merge(local.app_base_environment, local.memory_environment.api, var.app_environment)
      secrets = concat(local.app_secrets, [
        { name = "CPIMS_OPERATOR_API_KEY", valueFrom = "${aws_secretsmanager_secret.app.arn}:operator_api_key::" },
        local.device_key_secret,
      ])
      ports = [8080]
    }
    worker = {
      size        = var.worker
      command     = ["worker"]
      image       = var.cpims_image
      environment = merge(local.app_base_environment, local.memory_environment.worker, var.app_environment)
      # One-off commands (cpims-ecs.sh) run in the worker's task definition: `cpims devices
      # reseal` needs the device key secret.
      secrets = concat(local.app_secrets, [local.device_key_secret])
      ports   = []
    }
    kratos = {
      size        = var.kratos
      command     = ["serve", "--config", var.kratos_config_file, "--watch-courier", "--sqa-opt-out"]
      image       = var.kratos_image
      environment = local.kratos_environment
      secrets     = local.kratos_secrets
      ports       = [4433, 4434]
    }
  }

  # JSON container definitions per service (kratos has the migration init container first).
  container_definitions = {
    for name, svc in local.services : name => jsonencode(concat(
      [for init in ["kratos-migrate"] : merge(local.container_base, {
        name        = init
        image       = svc.image
        essential   = false
        command     = ["migrate", "sql", "-e", "--yes", "--config", var.kratos_config_file]
        environment = [for k in sort(keys(svc.environment)) : { name = k, value = svc.environment[k] }]
        secrets     = svc.secrets
        logConfiguration = {
          logDriver = "awslogs"
          options = {
            awslogs-group         = aws_cloudwatch_log_group.service[name].name
            awslogs-region        = local.region
            awslogs-stream-prefix = "migrate"
          }
        }
      }) if name == "kratos"],
      [merge(
        local.container_base,
        {
          name        = name
          image       = svc.image
          essential   = true
          command     = svc.command
          stopTimeout = 60
          environment = [for k in sort(keys(svc.environment)) : { name = k, value = svc.environment[k] }]
          secrets     = svc.secrets
          logConfiguration = {
            logDriver = "awslogs"
            options = {
              awslogs-group         = aws_cloudwatch_log_group.service[name].name
              awslogs-region        = local.region
              awslogs-stream-prefix = name
            }
          }
        },
        # Keys left out rather than empty: ECS drops empty lists, which would show as drift.
        { for k, v in { portMappings = [for p in svc.ports : { containerPort = p, protocol = "tcp" }] } : k => v if length(svc.ports) > 0 },
        { for k, v in { dependsOn = [{ containerName = "kratos-migrate", condition = "SUCCESS" }] } : k => v if name == "kratos" },
      )],
    ))
  }
}

resource "aws_ecs_task_definition" "this" {
  for_each = local.services

  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.size.cpu
  memory                   = each.value.size.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task[each.key].arn
  container_definitions    = local.container_definitions[each.key]

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  volume {
    name = "tmp"
  }
}

resource "aws_ecs_service" "this" {
  for_each = local.services

  name                   = each.key
  cluster                = aws_ecs_cluster.this.id
  task_definition        = aws_ecs_task_definition.this[each.key].arn
  desired_count          = each.value.size.min_count
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  enable_execute_command = var.enable_execute_command
  propagate_tags         = "SERVICE"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = each.key == "api" ? 60 : null

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.app.id]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = each.key == "api" ? [aws_lb_target_group.api.arn] : []

    content {
      target_group_arn = load_balancer.value
      container_name   = "api"
      container_port   = 8080
    }
  }

  dynamic "service_registries" {
    for_each = each.key == "kratos" ? [aws_service_discovery_service.kratos.arn] : []

    content {
      registry_arn = service_registries.value
    }
  }

  # Autoscaling owns the running count after creation.
  lifecycle {
    ignore_changes = [desired_count]
  }

  depends_on = [aws_lb_listener.https, aws_iam_role_policy.execution]
}

resource "aws_appautoscaling_target" "this" {
  for_each = local.services

  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this[each.key].name}"
  min_capacity       = each.value.size.min_count
  max_capacity       = each.value.size.max_count
}

resource "aws_appautoscaling_policy" "cpu" {
  for_each = local.services

  name               = "${var.name}-${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[each.key].service_namespace
  scalable_dimension = aws_appautoscaling_target.this[each.key].scalable_dimension
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = each.value.size.cpu_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
