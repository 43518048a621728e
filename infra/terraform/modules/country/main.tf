# What one country adds to the platform: its tenant KMS key, an IAM policy that opens its
# two bucket prefixes (tenants/<code>/ and exports/<code>/) to the cpims task roles, its SES
# configuration set, optionally an explicit DNS record, and the tenant itself.

locals {
  p = var.platform

  prefixes    = ["${local.p.tenants_prefix}${var.code}/", "${local.p.exports_prefix}${var.code}/"]
  object_arns = [for prefix in local.prefixes : "${local.p.bucket_arn}/${prefix}*"]

  configuration_set_name = "${local.p.ses_config_set_prefix}${var.code}"
  configuration_set_arn  = "arn:${local.p.partition}:ses:${local.p.region}:${local.p.account_id}:configuration-set/${local.configuration_set_name}"
}

resource "aws_kms_key" "tenant" {
  description             = "${local.p.name}: data of tenant ${var.code} (${var.name})"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      # Key policies name their key as "*". Use by the tasks is granted below by IAM.
      Sid       = "AccountAdministers"
      Effect    = "Allow"
      Principal = { AWS = "arn:${local.p.partition}:iam::${local.p.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_alias" "tenant" {
  name          = "alias/${local.p.name}-tenant-${var.code}"
  target_key_id = aws_kms_key.tenant.key_id
}

locals {
  tenant_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ListOwnPrefixes"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = [local.p.bucket_arn]
        Condition = { StringLike = { "s3:prefix" = [for prefix in local.prefixes : "${prefix}*"] } }
      },
      {
        Sid      = "ReadWriteOwnObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = local.object_arns
      },
      {
        Sid       = "UseTenantKeyThroughS3"
        Effect    = "Allow"
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = [aws_kms_key.tenant.arn]
        Condition = { StringEquals = { "kms:ViaService" = "s3.${local.p.region}.amazonaws.com" } }
      },
      {
        Sid      = "SendEmailWithOwnConfigurationSet"
        Effect   = "Allow"
        Action   = ["ses:SendEmail", "ses:SendRawEmail"]
        Resource = [local.p.ses_identity_arn, local.configuration_set_arn]
      },
    ]
  }
}

resource "aws_iam_policy" "tenant" {
  name        = "${local.p.name}-tenant-${var.code}"
  description = "cpims access to the data of tenant ${var.code}"
  policy      = jsonencode(local.tenant_policy)
}

resource "aws_iam_role_policy_attachment" "tenant" {
  for_each = local.p.app_task_role_names

  role       = each.value
  policy_arn = aws_iam_policy.tenant.arn
}

resource "aws_sesv2_configuration_set" "tenant" {
  configuration_set_name = local.configuration_set_name

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }

  sending_options {
    sending_enabled = true
  }

  suppression_options {
    suppressed_reasons = ["BOUNCE", "COMPLAINT"]
  }
}

resource "aws_route53_record" "tenant" {
  count = var.create_dns_record ? 1 : 0

  zone_id = local.p.route53_zone_id
  name    = "${var.code}.${local.p.domain}"
  type    = "A"

  alias {
    name                   = local.p.alb_dns_name
    zone_id                = local.p.alb_zone_id
    evaluate_target_health = true
  }
}

# Creates the tenant (schema, role, default configuration) once, with
# `cpims tenant create --exists-ok` (modules/tenant, shared with the test environment of
# `cpims provision`). The first administrator is invited by `cpims provision` or
# `cpims tenant invite-admin`, not here: it needs the identity service.
#
# There is deliberately no destroy-time provisioner: removing this module from the
# configuration does NOT delete the tenant or its data. Suspending and deleting a tenant
# are operator actions (`cpims tenant suspend|delete <code>`, see docs/runbook.md).
module "tenant" {
  source = "../tenant"
  count  = var.create_tenant ? 1 : 0

  code                      = var.code
  name                      = var.name
  locales                   = var.locales
  cpims_command             = var.cpims_command
  cpims_command_environment = var.cpims_command_environment

  depends_on = [aws_iam_role_policy_attachment.tenant, aws_sesv2_configuration_set.tenant]
}

# The tenant resource used to live in this module.
moved {
  from = terraform_data.tenant[0]
  to   = module.tenant[0].terraform_data.tenant
}
