output "country_inputs" {
  description = "Everything modules/country needs from this platform, as one object (pass it as its platform variable)."
  value = {
    name                  = var.name
    domain                = var.domain
    route53_zone_id       = var.route53_zone_id
    region                = local.region
    account_id            = local.account_id
    partition             = local.partition
    bucket_arn            = aws_s3_bucket.files.arn
    tenants_prefix        = local.tenants_prefix
    exports_prefix        = local.exports_prefix
    ses_identity_arn      = aws_sesv2_email_identity.domain.arn
    ses_config_set_prefix = "${var.name}-"
    alb_dns_name          = aws_lb.this.dns_name
    alb_zone_id           = aws_lb.this.zone_id
    app_task_role_names   = { api = aws_iam_role.task["api"].name, worker = aws_iam_role.task["worker"].name }
    app_task_role_arns    = { api = aws_iam_role.task["api"].arn, worker = aws_iam_role.task["worker"].arn }
  }
}

output "ecs_run_task" {
  description = "What a one-off cpims command (migrate, tenant ...) needs to run as a Fargate task: see envs/aws-example/scripts/cpims-ecs.sh."
  value = {
    cluster         = aws_ecs_cluster.this.name
    task_definition = aws_ecs_task_definition.this["worker"].family
    container       = "worker"
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.app.id]
  }

  # Whoever runs a command with this waits for the database, its secrets and the services.
  depends_on = [aws_db_instance.this, aws_secretsmanager_secret_version.app, aws_secretsmanager_secret_version.device_keys, aws_ecs_service.this, aws_nat_gateway.this]
}

output "vpc_id" {
  description = "VPC of the platform."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Private subnets where the tasks run."
  value       = aws_subnet.private[*].id
}

output "app_security_group_id" {
  description = "Security group of the app tasks (the only one the database accepts)."
  value       = aws_security_group.app.id
}

output "db_endpoint" {
  description = "Host name of the PostgreSQL instance."
  value       = aws_db_instance.this.address
}

output "db_master_secret_arn" {
  description = "Secrets Manager secret RDS keeps the master credentials in (for the bootstrap step)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "secret_arns" {
  description = "Secrets Manager secrets written by this module."
  value = {
    app           = aws_secretsmanager_secret.app.arn
    kratos        = aws_secretsmanager_secret.kratos.arn
    kratos_cipher = aws_secretsmanager_secret.kratos_cipher.arn
    device_keys   = aws_secretsmanager_secret.device_keys.arn
  }
}

output "bucket_name" {
  description = "Attachments and exports bucket."
  value       = aws_s3_bucket.files.bucket
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "task_role_arns" {
  description = "Task role of each service."
  value       = { for k, r in aws_iam_role.task : k => r.arn }
}
