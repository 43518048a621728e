# IAM. One execution role (pulls images, writes logs, reads exactly the two secrets) and one
# task role per service. Task roles hold only what the code needs: the platform grants the
# bucket key and the SES identity; each country module adds its tenant's S3 prefixes, KMS key
# and SES configuration set. Nothing here uses AWS managed policies (they use "*").

resource "aws_iam_role" "execution" {
  name               = "${var.name}-ecs-execution"
  description        = "ECS agent: pull images, write container logs, inject secrets"
  assume_role_policy = local.ecs_trust_policy
}

locals {
  log_group_arns = [for g in aws_cloudwatch_log_group.service : "${g.arn}:*"]

  execution_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "WriteContainerLogs"
          Effect   = "Allow"
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = local.log_group_arns
        },
        {
          Sid      = "ReadInjectedSecrets"
          Effect   = "Allow"
          Action   = ["secretsmanager:GetSecretValue"]
          Resource = [aws_secretsmanager_secret.app.arn, aws_secretsmanager_secret.kratos.arn, aws_secretsmanager_secret.kratos_cipher.arn, aws_secretsmanager_secret.device_keys.arn]
        },
        {
          Sid       = "DecryptInjectedSecrets"
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = [aws_kms_key.data.arn]
          Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${local.region}.amazonaws.com" } }
        },
      ],
      length(var.ecr_repository_arns) == 0 ? [] : [
        {
          Sid      = "PullImages"
          Effect   = "Allow"
          Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
          Resource = var.ecr_repository_arns
        },
        {
          # GetAuthorizationToken has no resource-level permissions.
          Sid      = "EcrLogin"
          Effect   = "Allow"
          Action   = ["ecr:GetAuthorizationToken"]
          Resource = ["*"]
        },
      ],
    )
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "execution"
  role   = aws_iam_role.execution.id
  policy = jsonencode(local.execution_policy)
}

resource "aws_iam_role" "task" {
  for_each = toset(["api", "worker", "kratos"])

  name               = "${var.name}-${each.key}-task"
  description        = "Runtime permissions of the ${each.key} containers"
  assume_role_policy = local.ecs_trust_policy
}

locals {
  # What cpims (API and worker) needs from the platform itself. Tenant data access is added
  # per country.
  app_task_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "UseBucketDefaultKey"
        Effect    = "Allow"
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = [aws_kms_key.storage.arn]
        Condition = { StringEquals = { "kms:ViaService" = "s3.${local.region}.amazonaws.com" } }
      },
      {
        Sid      = "SendEmailFromPlatformDomain"
        Effect   = "Allow"
        Action   = ["ses:SendEmail", "ses:SendRawEmail"]
        Resource = [aws_sesv2_email_identity.domain.arn]
      },
    ]
  }

  # ECS Exec: the SSM message channels have no resource-level permissions.
  exec_task_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ExecChannels"
        Effect   = "Allow"
        Action   = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]
        Resource = ["*"]
      },
      {
        Sid      = "ExecSessionKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [aws_kms_key.logs.arn]
      },
      {
        Sid      = "ExecLogGroupLookup"
        Effect   = "Allow"
        Action   = ["logs:DescribeLogGroups"]
        Resource = ["*"]
      },
      {
        Sid      = "ExecSessionLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.exec.arn}:*"]
      },
    ]
  }
}

resource "aws_iam_role_policy" "app" {
  for_each = toset(["api", "worker"])

  name   = "cpims-platform"
  role   = aws_iam_role.task[each.key].id
  policy = jsonencode(local.app_task_policy)
}

resource "aws_iam_role_policy" "exec" {
  for_each = { for k, r in aws_iam_role.task : k => r.id if var.enable_execute_command }

  name   = "ecs-exec"
  role   = each.value
  policy = jsonencode(local.exec_task_policy)
}

resource "aws_iam_role" "flow_logs" {
  name        = "${var.name}-vpc-flow-logs"
  description = "VPC flow logs delivery"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
}

resource "aws_iam_role_policy" "flow_logs" {
  name = "deliver"
  role = aws_iam_role.flow_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
      Resource = ["${aws_cloudwatch_log_group.flow.arn}:*"]
    }]
  })
}
