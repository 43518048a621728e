# One country on a mocked platform: tenant isolation in IAM, KMS and SES, code validation,
# and the tenant creation command.

mock_provider "aws" {
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-west-1:123456789012:key/44444444-4444-4444-4444-444444444444" }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::123456789012:policy/cpims-test-tenant" }
  }
}

variables {
  code    = "ke"
  name    = "Kenya"
  locales = ["en", "sw"]
  platform = {
    name                  = "cpims-test"
    domain                = "cpims.example.org"
    route53_zone_id       = "Z0000000000000"
    region                = "eu-west-1"
    account_id            = "123456789012"
    partition             = "aws"
    bucket_arn            = "arn:aws:s3:::cpims-test-files"
    tenants_prefix        = "tenants/"
    exports_prefix        = "exports/"
    ses_identity_arn      = "arn:aws:ses:eu-west-1:123456789012:identity/cpims.example.org"
    ses_config_set_prefix = "cpims-test-"
    alb_dns_name          = "cpims-test-0000.eu-west-1.elb.amazonaws.com"
    alb_zone_id           = "Z32O12XQLNTSW2"
    app_task_role_names   = { api = "cpims-test-api-task", worker = "cpims-test-worker-task" }
    app_task_role_arns    = { api = "arn:aws:iam::123456789012:role/cpims-test-api-task", worker = "arn:aws:iam::123456789012:role/cpims-test-worker-task" }
  }
  create_tenant = false
}

run "tenant_access_is_scoped_to_its_prefixes_key_and_configuration_set" {
  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_policy.tenant.policy).Statement :
      alltrue([for a in flatten([s.Action]) : !strcontains(a, "*")]) && alltrue([for r in flatten([s.Resource]) : r != "*"])
    ])
    error_message = "The tenant policy must not use wildcard actions or a wildcard resource."
  }
  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_policy.tenant.policy).Statement : flatten([s.Resource]) if anytrue([for a in flatten([s.Action]) : a == "s3:GetObject"])
    ])) == toset(["arn:aws:s3:::cpims-test-files/tenants/ke/*", "arn:aws:s3:::cpims-test-files/exports/ke/*"])
    error_message = "Object access must be limited to tenants/ke/ and exports/ke/."
  }
  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_policy.tenant.policy).Statement :
      toset(s.Condition.StringLike["s3:prefix"]) == toset(["tenants/ke/*", "exports/ke/*"]) if contains(flatten([s.Action]), "s3:ListBucket")
    ])
    error_message = "Listing must be limited to the tenant's prefixes."
  }
  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_policy.tenant.policy).Statement : flatten([s.Resource]) if anytrue([for a in flatten([s.Action]) : startswith(a, "kms:")])
    ])) == toset([aws_kms_key.tenant.arn])
    error_message = "KMS use must be limited to the tenant's own key."
  }
  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_policy.tenant.policy).Statement : flatten([s.Resource]) if anytrue([for a in flatten([s.Action]) : startswith(a, "ses:")])
    ])) == toset(["arn:aws:ses:eu-west-1:123456789012:identity/cpims.example.org", "arn:aws:ses:eu-west-1:123456789012:configuration-set/cpims-test-ke"])
    error_message = "Email must be limited to the platform identity and the tenant's configuration set."
  }
  assert {
    condition     = toset([for a in aws_iam_role_policy_attachment.tenant : a.role]) == toset(["cpims-test-api-task", "cpims-test-worker-task"])
    error_message = "The tenant policy must be attached to the API and worker task roles."
  }
  assert {
    condition     = aws_kms_key.tenant.enable_key_rotation && aws_kms_key.tenant.deletion_window_in_days == 30
    error_message = "The tenant key must rotate and have a 30-day deletion window."
  }
  assert {
    condition     = aws_kms_alias.tenant.name == "alias/cpims-test-tenant-ke"
    error_message = "The tenant key alias must name the platform and the tenant."
  }
  assert {
    condition     = aws_sesv2_configuration_set.tenant.configuration_set_name == "cpims-test-ke" && aws_sesv2_configuration_set.tenant.delivery_options[0].tls_policy == "REQUIRE"
    error_message = "The tenant's SES configuration set must exist and require TLS delivery."
  }
  assert {
    condition     = length(aws_route53_record.tenant) == 0 && length(module.tenant) == 0
    error_message = "No DNS record (the wildcard covers it) and no tenant command unless asked."
  }
}

run "explicit_dns_record" {
  variables {
    create_dns_record = true
  }

  assert {
    condition     = aws_route53_record.tenant[0].name == "ke.cpims.example.org" && aws_route53_record.tenant[0].alias[0].name == "cpims-test-0000.eu-west-1.elb.amazonaws.com"
    error_message = "The explicit record must point ke.<domain> at the load balancer."
  }
}

# The fake binary (modules/tenant/tests/fixtures) fails unless it receives exactly the
# expected arguments, so this run passes only if the country wires the tenant module right.
run "creates_the_tenant_with_exact_arguments" {
  variables {
    code          = "ci"
    name          = "Côte d'Ivoire \"test\" $HOME"
    locales       = ["fr", "en"]
    create_tenant = true
    cpims_command = "../tenant/tests/fixtures/fake-cpims"
    cpims_command_environment = {
      EXPECT_CODE    = "ci"
      EXPECT_NAME    = "Côte d'Ivoire \"test\" $HOME"
      EXPECT_LOCALES = "fr,en"
    }
  }

  assert {
    condition     = module.tenant[0].code == "ci"
    error_message = "The country must create its tenant through modules/tenant."
  }
}

run "accepts_a_long_valid_code" {
  command = plan

  variables {
    code = "southsudan2025ab"
  }

  assert {
    condition     = aws_iam_policy.tenant.name == "cpims-test-tenant-southsudan2025ab"
    error_message = "A 16-character code must be accepted."
  }
}

run "rejects_upper_case_code" {
  command = plan
  variables {
    code = "KE"
  }
  expect_failures = [var.code]
}

run "rejects_one_letter_code" {
  command = plan
  variables {
    code = "k"
  }
  expect_failures = [var.code]
}

run "rejects_code_starting_with_digit" {
  command = plan
  variables {
    code = "1ke"
  }
  expect_failures = [var.code]
}

run "rejects_code_with_hyphen" {
  command = plan
  variables {
    code = "ke-north"
  }
  expect_failures = [var.code]
}

run "rejects_code_longer_than_16" {
  command = plan
  variables {
    code = "southsudan2025abc"
  }
  expect_failures = [var.code]
}

run "rejects_platform" {
  command = plan
  variables {
    code = "platform"
  }
  expect_failures = [var.code]
}

run "rejects_river" {
  command = plan
  variables {
    code = "river"
  }
  expect_failures = [var.code]
}

run "rejects_public" {
  command = plan
  variables {
    code = "public"
  }
  expect_failures = [var.code]
}

run "rejects_pg_prefix" {
  command = plan
  variables {
    code = "pg_ke"
  }
  expect_failures = [var.code]
}

run "rejects_pg_start" {
  command = plan
  variables {
    code = "pgadmin"
  }
  expect_failures = [var.code]
}

run "rejects_host_name_reserved_by_the_platform" {
  command = plan
  variables {
    code = "kratos"
  }
  expect_failures = [var.code]
}

run "rejects_bad_locale" {
  command = plan
  variables {
    locales = ["English"]
  }
  expect_failures = [var.locales]
}
