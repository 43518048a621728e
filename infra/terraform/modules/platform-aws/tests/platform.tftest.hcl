# Security properties of the AWS platform, checked against a mocked provider. Runs apply
# against the mocks so that ARNs and ids are known and policies can be decoded.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0000"
      domain_validation_options = [{
        domain_name           = "cpims.example.org"
        resource_record_name  = "_a1.cpims.example.org."
        resource_record_type  = "CNAME"
        resource_record_value = "_b2.acm-validations.aws."
      }]
    }
  }
  mock_resource "aws_sesv2_email_identity" {
    defaults = {
      arn = "arn:aws:ses:eu-west-1:123456789012:identity/cpims.example.org"
      dkim_signing_attributes = {
        tokens = ["tok1", "tok2", "tok3"]
      }
    }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/cpims-test/0000"
      arn_suffix = "app/cpims-test/0000"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/cpims-test/0000"
      arn_suffix = "targetgroup/cpims-test/0000"
    }
  }
  mock_resource "aws_lb_listener" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/cpims-test/0000/0000" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/cpims-test-task" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cpims-test" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/cpims/cpims-test" }
  }
  mock_resource "aws_service_discovery_service" {
    defaults = { arn = "arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-0000" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::cpims-test-files-123456789012" }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      address            = "cpims-test.abc.eu-west-1.rds.amazonaws.com"
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds-master", kms_key_id = "k", secret_status = "active" }]
    }
  }
}

# Distinct ARNs where a test must tell two resources of one type apart.
override_resource {
  target = aws_kms_key.data
  values = { arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111" }
}
override_resource {
  target = aws_kms_key.storage
  values = { arn = "arn:aws:kms:eu-west-1:123456789012:key/22222222-2222-2222-2222-222222222222" }
}
override_resource {
  target = aws_kms_key.logs
  values = { arn = "arn:aws:kms:eu-west-1:123456789012:key/33333333-3333-3333-3333-333333333333" }
}
override_resource {
  target = aws_iam_role.execution
  values = { arn = "arn:aws:iam::123456789012:role/cpims-test-ecs-execution" }
}
override_resource {
  target = aws_secretsmanager_secret.app
  values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cpims-test/cpims/database-AbCdEf" }
}
override_resource {
  target = aws_secretsmanager_secret.kratos
  values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cpims-test/kratos-AbCdEf" }
}
override_resource {
  target = aws_secretsmanager_secret.kratos_cipher
  values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cpims-test/kratos-cipher-AbCdEf" }
}
override_resource {
  target = aws_secretsmanager_secret.device_keys
  values = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cpims-test/cpims/device-key-secret-AbCdEf" }
}

variables {
  name                  = "cpims-test"
  domain                = "cpims.example.org"
  route53_zone_id       = "Z0000000000000"
  availability_zones    = ["eu-west-1a", "eu-west-1b"]
  cpims_image           = "registry.example.org/cpims:1.0.0"
  kratos_image          = "registry.example.org/cpims-kratos:1.3.1"
  operator_api_key      = "test-only-operator-key"
  app_db_password       = "test-only-app-password"
  kratos_db_password    = "test-only-kratos-password"
  kratos_default_secret = "test-only-default-secret-0123456789"
  kratos_cookie_secret  = "test-only-cookie-secret-0123456789"
  kratos_cipher_secret  = "0123456789abcdef0123456789abcdef"
  device_key_secret     = "test-only-device-key-secret-0123456789abcdef"
  kratos_smtp_uri       = "smtp://user:pass@email-smtp.eu-west-1.amazonaws.com:587/"
}

run "database_is_private_encrypted_and_backed_up" {
  assert {
    condition     = aws_db_instance.this.engine == "postgres" && startswith(aws_db_instance.this.engine_version, "15")
    error_message = "The database must be PostgreSQL 15."
  }
  assert {
    condition     = aws_db_instance.this.storage_encrypted == true
    error_message = "Database storage must be encrypted."
  }
  assert {
    condition     = aws_db_instance.this.kms_key_id == aws_kms_key.data.arn && aws_db_instance.this.performance_insights_kms_key_id == aws_kms_key.data.arn
    error_message = "Database storage and Performance Insights must use our KMS key, not the AWS default key."
  }
  assert {
    condition     = aws_db_instance.this.publicly_accessible == false
    error_message = "The database must not be publicly accessible."
  }
  assert {
    condition     = aws_db_instance.this.multi_az == true
    error_message = "The database must be Multi-AZ."
  }
  assert {
    condition     = aws_db_instance.this.backup_retention_period >= 30
    error_message = "Backups (and point-in-time recovery) must be kept at least 30 days."
  }
  assert {
    condition     = aws_db_instance.this.deletion_protection == true && aws_db_instance.this.skip_final_snapshot == false
    error_message = "The database must have deletion protection and a final snapshot."
  }
  assert {
    condition     = aws_db_instance.this.manage_master_user_password == true && aws_db_instance.this.master_user_secret_kms_key_id == aws_kms_key.data.arn
    error_message = "The master password must be managed by RDS in Secrets Manager, encrypted with our key."
  }
  assert {
    condition     = toset(aws_db_subnet_group.this.subnet_ids) == toset(aws_subnet.database[*].id)
    error_message = "The database must sit in the database subnets only."
  }
  assert {
    condition     = length(aws_route_table.database.route) == 0
    error_message = "The database subnets must have no route out of the VPC."
  }
  assert {
    condition     = anytrue([for p in aws_db_parameter_group.this.parameter : p.name == "rds.force_ssl" && p.value == "1"])
    error_message = "The database must refuse connections without TLS."
  }
  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.db_from_app.security_group_id == aws_security_group.db.id &&
      aws_vpc_security_group_ingress_rule.db_from_app.referenced_security_group_id == aws_security_group.app.id &&
      aws_vpc_security_group_ingress_rule.db_from_app.cidr_ipv4 == null &&
      aws_vpc_security_group_ingress_rule.db_from_app.from_port == 5432 && aws_vpc_security_group_ingress_rule.db_from_app.to_port == 5432
    )
    error_message = "The database security group must admit PostgreSQL from the app security group only."
  }
  assert {
    condition     = aws_db_instance.this.vpc_security_group_ids == toset([aws_security_group.db.id])
    error_message = "The database must use only its own security group."
  }
}

run "bucket_is_private_versioned_and_kms_encrypted" {
  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.files.block_public_acls,
      aws_s3_bucket_public_access_block.files.block_public_policy,
      aws_s3_bucket_public_access_block.files.ignore_public_acls,
      aws_s3_bucket_public_access_block.files.restrict_public_buckets,
    ])
    error_message = "All four S3 public access blocks must be on."
  }
  assert {
    condition     = aws_s3_bucket_versioning.files.versioning_configuration[0].status == "Enabled"
    error_message = "Bucket versioning must be enabled."
  }
  assert {
    condition = anytrue([
      for r in aws_s3_bucket_server_side_encryption_configuration.files.rule :
      anytrue([for d in r.apply_server_side_encryption_by_default : d.sse_algorithm == "aws:kms" && d.kms_master_key_id == aws_kms_key.storage.arn])
    ])
    error_message = "The bucket must default to SSE-KMS with the storage key."
  }
  assert {
    condition     = aws_s3_bucket_ownership_controls.files.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled on the bucket."
  }
  assert {
    condition = anytrue([
      for s in jsondecode(aws_s3_bucket_policy.files.policy).Statement :
      s.Effect == "Deny" && s.Principal == "*" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false" &&
      contains(flatten([s.Resource]), aws_s3_bucket.files.arn) && contains(flatten([s.Resource]), "${aws_s3_bucket.files.arn}/*")
    ])
    error_message = "The bucket policy must deny every request made without TLS."
  }
  assert {
    condition = anytrue([
      for r in aws_s3_bucket_lifecycle_configuration.files.rule :
      r.status == "Enabled" && try(r.filter[0].prefix, "") == "exports/" && try(r.expiration[0].days, 0) == var.exports_expiry_days
    ])
    error_message = "Exports must expire through a lifecycle rule on exports/."
  }
  assert {
    condition = alltrue([
      for r in aws_s3_bucket_lifecycle_configuration.files.rule :
      length(r.expiration) == 0 || try(r.filter[0].prefix, "") == "exports/"
    ])
    error_message = "No lifecycle rule may expire current objects outside exports/ (attachments are durable)."
  }
}

run "keys_logs_and_secrets_are_encrypted" {
  assert {
    condition     = alltrue([for k in [aws_kms_key.data, aws_kms_key.storage, aws_kms_key.logs] : k.enable_key_rotation && k.deletion_window_in_days >= 30])
    error_message = "Every KMS key must rotate and have a 30-day deletion window."
  }
  assert {
    condition = alltrue([
      for g in concat(values(aws_cloudwatch_log_group.service), [aws_cloudwatch_log_group.exec, aws_cloudwatch_log_group.flow, aws_cloudwatch_log_group.rds]) :
      g.kms_key_id == aws_kms_key.logs.arn && g.retention_in_days >= 30
    ])
    error_message = "Every log group must be encrypted with the logs key and have a retention."
  }
  assert {
    condition     = alltrue([for s in [aws_secretsmanager_secret.app, aws_secretsmanager_secret.kratos, aws_secretsmanager_secret.kratos_cipher, aws_secretsmanager_secret.device_keys] : s.kms_key_id == aws_kms_key.data.arn])
    error_message = "Secrets must be encrypted with the data key."
  }
  assert {
    condition     = alltrue([for v in [aws_secretsmanager_secret_version.app, aws_secretsmanager_secret_version.kratos, aws_secretsmanager_secret_version.kratos_cipher, aws_secretsmanager_secret_version.device_keys] : v.secret_string == null])
    error_message = "Secret values must go through write-only attributes, never into state."
  }
  assert {
    condition     = aws_ecs_cluster.this.configuration[0].execute_command_configuration[0].log_configuration[0].cloud_watch_encryption_enabled
    error_message = "ECS Exec session logs must be encrypted."
  }
}

run "load_balancer_serves_tls_only" {
  assert {
    condition     = aws_lb_listener.https.protocol == "HTTPS" && aws_lb_listener.https.port == 443
    error_message = "The main listener must be HTTPS on 443."
  }
  assert {
    condition     = can(regex("^ELBSecurityPolicy-TLS13-1-[23]-", aws_lb_listener.https.ssl_policy))
    error_message = "The HTTPS listener must use a TLS 1.3 policy with TLS 1.2 as the minimum."
  }
  assert {
    condition     = aws_lb_listener.https.certificate_arn == aws_acm_certificate_validation.this.certificate_arn
    error_message = "The HTTPS listener must use the validated ACM certificate."
  }
  assert {
    condition     = startswith(aws_lb_listener.https.routing_http_response_strict_transport_security_header_value, "max-age=31536000")
    error_message = "The HTTPS listener must send HSTS."
  }
  assert {
    condition = (
      aws_lb_listener.http.protocol == "HTTP" &&
      length(aws_lb_listener.http.default_action) == 1 &&
      aws_lb_listener.http.default_action[0].type == "redirect" &&
      aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS" &&
      aws_lb_listener.http.default_action[0].redirect[0].status_code == "HTTP_301"
    )
    error_message = "The HTTP listener may only redirect to HTTPS."
  }
  assert {
    condition     = aws_lb.this.drop_invalid_header_fields == true
    error_message = "The ALB must drop invalid header fields."
  }
  assert {
    condition     = toset(aws_lb.this.subnets) == toset(aws_subnet.public[*].id)
    error_message = "The ALB must live in the public subnets."
  }
  assert {
    condition = (
      aws_lb_target_group.api.port == 8080 &&
      aws_vpc_security_group_egress_rule.alb_to_api.from_port == 8080 && aws_vpc_security_group_egress_rule.alb_to_api.to_port == 8080 &&
      aws_vpc_security_group_ingress_rule.api_from_alb.referenced_security_group_id == aws_security_group.alb.id &&
      aws_vpc_security_group_ingress_rule.api_from_alb.from_port == 8080 && aws_vpc_security_group_ingress_rule.api_from_alb.to_port == 8080
    )
    error_message = "The ALB may reach the API port only (Kratos is never exposed directly)."
  }
  assert {
    condition = alltrue([
      for r in aws_vpc_security_group_ingress_rule.app_kratos_internal : r.referenced_security_group_id == aws_security_group.app.id && r.cidr_ipv4 == null
    ])
    error_message = "Kratos' APIs must be reachable from the app tasks only."
  }
  assert {
    condition     = toset(aws_acm_certificate.this.subject_alternative_names) == toset(["*.cpims.example.org"]) && aws_acm_certificate.this.domain_name == "cpims.example.org"
    error_message = "The certificate must cover the bare domain and the wildcard."
  }
  assert {
    condition     = toset(keys(aws_route53_record.alb)) == toset(["cpims.example.org", "*.cpims.example.org"])
    error_message = "DNS must point the bare domain and *.<domain> at the ALB."
  }
  assert {
    condition = alltrue([
      for s in aws_subnet.public : s.map_public_ip_on_launch == false
    ]) && alltrue([for s in aws_subnet.private : s.map_public_ip_on_launch == false])
    error_message = "No subnet may hand out public IPs."
  }
}

run "tasks_run_unprivileged_with_secrets_injected" {
  assert {
    condition = alltrue(flatten([
      for td in aws_ecs_task_definition.this : [
        for c in jsondecode(td.container_definitions) : c.user == "65532:65532" && c.readonlyRootFilesystem == true && contains(c.linuxParameters.capabilities.drop, "ALL")
      ]
    ]))
    error_message = "Every container must run as uid 65532 with a read-only root filesystem and no capabilities."
  }
  assert {
    condition     = [for c in jsondecode(aws_ecs_task_definition.this["api"].container_definitions) : c.command] == [["serve"]]
    error_message = "The api service must run cpims serve."
  }
  assert {
    condition     = [for c in jsondecode(aws_ecs_task_definition.this["worker"].container_definitions) : c.command] == [["worker"]]
    error_message = "The worker service must run cpims worker."
  }
  assert {
    condition = alltrue(flatten([
      for td in aws_ecs_task_definition.this : [
        for c in jsondecode(td.container_definitions) : [
          for e in c.environment : !can(regex("(?i)(password|secret|dsn|database_url)", e.name))
        ]
      ]
    ]))
    error_message = "No secret may be passed as a plain environment variable."
  }
  assert {
    condition = alltrue([
      for svc in ["api", "worker"] :
      anytrue([for s in jsondecode(aws_ecs_task_definition.this[svc].container_definitions)[0].secrets : s.name == "CPIMS_DATABASE_URL" && s.valueFrom == "${aws_secretsmanager_secret.app.arn}:url::"])
    ])
    error_message = "The database URL must be injected from Secrets Manager."
  }
  assert {
    condition = alltrue([
      for svc in ["api", "worker"] :
      anytrue([for s in jsondecode(aws_ecs_task_definition.this[svc].container_definitions)[0].secrets : s.name == "CPIMS_DEVICE_KEY_SECRET" && s.valueFrom == aws_secretsmanager_secret.device_keys.arn])
    ])
    error_message = "The device key secret must reach the api (which seals and opens device keys) and the worker's one-off commands (cpims devices reseal) from its own secret in Secrets Manager."
  }
  assert {
    condition = (
      anytrue([for s in jsondecode(aws_ecs_task_definition.this["api"].container_definitions)[0].secrets : s.name == "CPIMS_OPERATOR_API_KEY"]) &&
      !anytrue([for s in jsondecode(aws_ecs_task_definition.this["worker"].container_definitions)[0].secrets : s.name == "CPIMS_OPERATOR_API_KEY"])
    )
    error_message = "Only the API gets the operator API key."
  }
  assert {
    condition = (
      anytrue([for e in jsondecode(aws_ecs_task_definition.this["api"].container_definitions)[0].environment : e.name == "CPIMS_APP_URL" && e.value == "https://cpims.example.org"]) &&
      anytrue([for e in jsondecode(aws_ecs_task_definition.this["kratos"].container_definitions)[0].environment : e.name == "SERVE_PUBLIC_BASE_URL" && e.value == "https://cpims.example.org/.ory/"]) &&
      anytrue([for e in jsondecode(aws_ecs_task_definition.this["kratos"].container_definitions)[0].environment : e.name == "SELFSERVICE_FLOWS_LOGIN_UI_URL" && e.value == "https://cpims.example.org/auth/login"])
    )
    error_message = "Kratos' public and UI URLs must be on the platform's origin, which cpims (CPIMS_APP_URL) rewrites to each tenant host."
  }
  assert {
    # the defaults' sizes: api and worker 1024 MiB each
    condition = (
      { for e in jsondecode(aws_ecs_task_definition.this["worker"].container_definitions)[0].environment : e.name => e.value if startswith(e.name, "CPIMS_MEMORY") || startswith(e.name, "CPIMS_GC") } ==
      { CPIMS_MEMORY_LIMIT = "768MiB", CPIMS_GC_PERCENT = "400" } &&
      { for e in jsondecode(aws_ecs_task_definition.this["api"].container_definitions)[0].environment : e.name => e.value if startswith(e.name, "CPIMS_MEMORY") || startswith(e.name, "CPIMS_GC") } ==
      { CPIMS_MEMORY_LIMIT = "768MiB" }
    )
    error_message = "The Go runtime's memory limit must be three quarters of each cpims task's memory, and the worker's collector growth 400 % (docs/runbook.md, Worker memory)."
  }
  assert {
    # Kratos sets the Secure flag on its session cookie exactly when it is not in dev mode
    # (the --dev flag or the "dev" key, e.g. a DEV variable).
    condition = alltrue([
      for c in jsondecode(aws_ecs_task_definition.this["kratos"].container_definitions) :
      !contains(c.command, "--dev") && !anytrue([for e in c.environment : upper(e.name) == "DEV"])
    ])
    error_message = "Kratos must not run in dev mode: its session cookie must be Secure on the https app."
  }
  assert {
    condition = alltrue([
      for c in jsondecode(aws_ecs_task_definition.this["kratos"].container_definitions) :
      toset([for s in c.secrets : s.name]) == toset(["DSN", "SECRETS_DEFAULT", "SECRETS_COOKIE", "SECRETS_CIPHER", "COURIER_SMTP_CONNECTION_URI"]) &&
      alltrue([for s in c.secrets : startswith(s.valueFrom, "${aws_secretsmanager_secret.kratos.arn}:") || s.valueFrom == aws_secretsmanager_secret.kratos_cipher.arn])
    ])
    error_message = "Kratos (server and migration) must get its DSN, secrets and SMTP URI from its own secrets."
  }
  assert {
    condition = (
      [for c in jsondecode(aws_ecs_task_definition.this["kratos"].container_definitions) : c.name] == ["kratos-migrate", "kratos"] &&
      jsondecode(aws_ecs_task_definition.this["kratos"].container_definitions)[1].dependsOn == [{ containerName = "kratos-migrate", condition = "SUCCESS" }]
    )
    error_message = "Kratos must start only after its migrations succeeded."
  }
  assert {
    condition     = length(aws_ecs_service.this["kratos"].load_balancer) == 0 && length(aws_ecs_service.this["worker"].load_balancer) == 0
    error_message = "Only the API sits behind the load balancer."
  }
  assert {
    condition     = alltrue([for s in aws_ecs_service.this : s.network_configuration[0].assign_public_ip == false && toset(s.network_configuration[0].subnets) == toset(aws_subnet.private[*].id)])
    error_message = "Services must run in the private subnets without public IPs."
  }
  assert {
    condition = alltrue([
      for k in ["api", "worker", "kratos"] :
      aws_appautoscaling_policy.cpu[k].policy_type == "TargetTrackingScaling" &&
      aws_appautoscaling_target.this[k].min_capacity >= 1 && aws_appautoscaling_target.this[k].max_capacity > aws_appautoscaling_target.this[k].min_capacity
    ])
    error_message = "Every service must autoscale with target tracking."
  }
  assert {
    condition     = aws_ecs_task_definition.this["api"].task_role_arn != aws_ecs_task_definition.this["api"].execution_role_arn
    error_message = "The execution role must be separate from the task role."
  }
}

run "iam_policies_are_least_privilege" {
  variables {
    ecr_repository_arns    = ["arn:aws:ecr:eu-west-1:123456789012:repository/cpims"]
    enable_execute_command = true
  }

  # Task role policies: no wildcard action, no wildcard resource.
  assert {
    condition = alltrue(flatten([
      for p in aws_iam_role_policy.app : [
        for s in jsondecode(p.policy).Statement :
        alltrue([for a in flatten([s.Action]) : !strcontains(a, "*")]) && alltrue([for r in flatten([s.Resource]) : !strcontains(r, "*")])
      ]
    ]))
    error_message = "cpims task role policies must not use wildcard actions or resources."
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(aws_iam_role_policy.app["api"].policy).Statement : flatten([s.Resource]) if anytrue([for a in flatten([s.Action]) : startswith(a, "ses:")])])) == toset([aws_sesv2_email_identity.domain.arn])
    error_message = "cpims may send email from the platform SES identity only."
  }
  assert {
    condition     = !anytrue([for s in jsondecode(aws_iam_role_policy.app["api"].policy).Statement : anytrue([for a in flatten([s.Action]) : startswith(a, "s3:") || startswith(a, "secretsmanager:")])])
    error_message = "The platform grants no S3 object or secret access to the task roles (S3 comes per tenant, secrets are injected)."
  }
  assert {
    condition     = !contains(keys(aws_iam_role_policy.app), "kratos")
    error_message = "Kratos needs no AWS permissions."
  }
  # Execution role: the only wildcard resource is ecr:GetAuthorizationToken, which has no resource-level permission.
  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.execution.policy).Statement :
      alltrue([for a in flatten([s.Action]) : !strcontains(a, "*")]) &&
      (!contains(flatten([s.Resource]), "*") || flatten([s.Action]) == ["ecr:GetAuthorizationToken"])
    ])
    error_message = "The execution role may use a wildcard resource for ecr:GetAuthorizationToken only."
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(aws_iam_role_policy.execution.policy).Statement : flatten([s.Resource]) if contains(flatten([s.Action]), "secretsmanager:GetSecretValue")])) == toset([aws_secretsmanager_secret.app.arn, aws_secretsmanager_secret.kratos.arn, aws_secretsmanager_secret.kratos_cipher.arn, aws_secretsmanager_secret.device_keys.arn])
    error_message = "The execution role may read exactly the three application secrets."
  }
  # ECS Exec: wildcard resources only for the SSM channels and DescribeLogGroups.
  assert {
    condition = alltrue(flatten([
      for p in aws_iam_role_policy.exec : [
        for s in jsondecode(p.policy).Statement :
        !contains(flatten([s.Resource]), "*") || alltrue([for a in flatten([s.Action]) : startswith(a, "ssmmessages:") || a == "logs:DescribeLogGroups"])
      ]
    ])) && length(aws_iam_role_policy.exec) == 3
    error_message = "ECS Exec may use wildcard resources only for the SSM message channels and log group lookup."
  }
  assert {
    condition     = alltrue([for r in aws_iam_role.task : jsondecode(r.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"])
    error_message = "Task roles must only be assumable by ECS tasks of this account."
  }
}

run "execute_command_is_off_by_default" {
  assert {
    condition     = length(aws_iam_role_policy.exec) == 0 && alltrue([for s in aws_ecs_service.this : s.enable_execute_command == false])
    error_message = "ECS Exec must be off unless asked for."
  }
}

run "email_identity_has_dkim" {
  assert {
    condition     = aws_sesv2_email_identity.domain.email_identity == "cpims.example.org" && aws_sesv2_email_identity.domain.dkim_signing_attributes[0].next_signing_key_length == "RSA_2048_BIT"
    error_message = "The SES domain identity must use Easy DKIM with 2048-bit keys."
  }
  assert {
    condition     = [for r in aws_route53_record.dkim : r.name] == ["tok1._domainkey.cpims.example.org", "tok2._domainkey.cpims.example.org", "tok3._domainkey.cpims.example.org"]
    error_message = "The three DKIM CNAME records must be published."
  }
}

run "rejects_short_backup_retention" {
  command = plan

  variables {
    db_backup_retention_days = 7
  }

  expect_failures = [var.db_backup_retention_days]
}

run "rejects_weak_tls_policy" {
  command = plan

  variables {
    ssl_policy = "ELBSecurityPolicy-2016-08"
  }

  expect_failures = [var.ssl_policy]
}

run "rejects_other_postgres_major" {
  command = plan

  variables {
    db_engine_version = "16.4"
  }

  expect_failures = [var.db_engine_version]
}

run "rejects_kratos_dev_mode" {
  command = plan

  variables {
    kratos_environment = { DEV = "true" }
  }

  expect_failures = [var.kratos_environment]
}
