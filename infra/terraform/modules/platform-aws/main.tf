data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  az_count    = length(var.availability_zones)
  nat_count   = var.single_nat_gateway ? 1 : local.az_count
  bucket_name = coalesce(var.bucket_name, "${var.name}-files-${local.account_id}")

  # Object layout in the bucket. Durable tenant data lives under tenants/<code>/, exports
  # (short-lived, expired by a lifecycle rule) under exports/<code>/. The country module
  # grants each tenant exactly these two prefixes.
  tenants_prefix = "tenants/"
  exports_prefix = "exports/"

  internal_namespace = "${var.name}.internal"
  kratos_internal    = "kratos.${local.internal_namespace}"

  email_from       = "${var.email_from_local_part}@${var.domain}"
  mail_from_domain = "mail-from.${var.domain}" # a hyphen: can never collide with a tenant code

  ecs_trust_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = local.account_id }
        ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:*" }
      }
    }]
  })
}
