# One government server, no cloud provider: Terraform connects over SSH, uploads the
# binaries and a rendered install script, and runs it. The server ends up with
#   PostgreSQL 15 (Debian)   cpims serve + cpims worker   Ory Kratos   versitygw (S3 API)
#   Caddy (TLS, HTTP->HTTPS)  a nightly age-encrypted backup (systemd timer)
# all of them listening on loopback except Caddy (which also passes presigned downloads of
# files to versitygw). Any change to a rendered file or binary
# changes triggers_replace and so re-runs the (idempotent) install.

locals {
  stage_dir     = "/var/tmp/cpims-install"
  sudo          = var.ssh_user == "root" ? "" : "sudo -n "
  email_from    = coalesce(var.email_from, "no-reply@${var.domain}")
  hosts         = [var.domain, "${var.code}.${var.domain}"]
  tenant_url    = "https://${var.code}.${var.domain}"
  kratos_config = "/etc/kratos/kratos.yml"
  s3_bucket     = "cpims-files" # also the path under which Caddy passes downloads on
  s3_region     = "us-east-1"   # versitygw's default; only signs requests
  s3_listen     = "127.0.0.1:7070"

  # cpims settings follow its flags (CPIMS_<FLAG>, see cmd/cpims); secrets (database URL,
  # email URL with the SMTP password, operator API key, S3 keys) are written on the server.
  cpims_environment = merge(
    {
      CPIMS_ADDR              = "127.0.0.1:8080"
      CPIMS_BASE_DOMAIN       = var.domain
      CPIMS_LOG_FORMAT        = "json"
      CPIMS_KRATOS_PUBLIC_URL = "http://127.0.0.1:4433"
      CPIMS_KRATOS_ADMIN_URL  = "http://127.0.0.1:4434"
      CPIMS_APP_URL           = "https://${var.domain}" # the platform origin; the tenant's is https://<code>.<domain>
      # File storage (attachments, exports) on versitygw; the keys are in the secrets file.
      # Presigned download links point at the platform host, where Caddy passes GET/HEAD
      # under /<bucket>/ to versitygw with the Host header unchanged.
      CPIMS_S3_ENDPOINT        = "http://${local.s3_listen}"
      CPIMS_S3_PUBLIC_ENDPOINT = "https://${var.domain}"
      CPIMS_S3_REGION          = local.s3_region
      CPIMS_S3_BUCKET          = local.s3_bucket
    },
    var.app_environment,
  )

  # Kratos keys as environment variables (infra/kratos/README.md); the browser reaches its
  # public API through cpims under /.ory/ on the tenant host.
  kratos_environment = {
    SERVE_PUBLIC_HOST                      = "127.0.0.1"
    SERVE_PUBLIC_BASE_URL                  = "${local.tenant_url}/.ory/"
    SERVE_ADMIN_HOST                       = "127.0.0.1"
    SERVE_ADMIN_BASE_URL                   = "http://127.0.0.1:4434/"
    IDENTITY_SCHEMAS                       = jsonencode([{ id = "person", url = "file:///etc/kratos/identity.schema.json" }])
    SELFSERVICE_FLOWS_REGISTRATION_ENABLED = "false"
    SELFSERVICE_METHODS_PROFILE_ENABLED    = "false"
    SELFSERVICE_DEFAULT_BROWSER_RETURN_URL = "${local.tenant_url}/"
    SELFSERVICE_ALLOWED_RETURN_URLS        = "${local.tenant_url}/,https://${var.domain}/"
    SELFSERVICE_FLOWS_LOGIN_UI_URL         = "${local.tenant_url}/auth/login"
    SELFSERVICE_FLOWS_REGISTRATION_UI_URL  = "${local.tenant_url}/auth/registration"
    SELFSERVICE_FLOWS_SETTINGS_UI_URL      = "${local.tenant_url}/auth/settings"
    SELFSERVICE_FLOWS_RECOVERY_UI_URL      = "${local.tenant_url}/auth/recovery"
    SELFSERVICE_FLOWS_VERIFICATION_UI_URL  = "${local.tenant_url}/auth/verification"
    SELFSERVICE_FLOWS_ERROR_UI_URL         = "${local.tenant_url}/auth/error"
    COURIER_SMTP_FROM_ADDRESS              = local.email_from
    LOG_FORMAT                             = "json"
    LOG_LEAK_SENSITIVE_VALUES              = "false"
  }

  # Every file the install writes, rendered here so tests can read them and their hashes
  # can trigger a re-install. None holds a secret.
  files = {
    "/etc/systemd/system/cpims.service" = {
      mode = "0644", owner = "root", group = "root"
      content = templatefile("${path.module}/templates/cpims.service.tftpl", {
        description = "API and web application", subcommand = "serve"
      })
    }
    "/etc/systemd/system/cpims-worker.service" = {
      mode = "0644", owner = "root", group = "root"
      content = templatefile("${path.module}/templates/cpims.service.tftpl", {
        description = "background jobs", subcommand = "worker"
      })
    }
    "/etc/systemd/system/kratos.service" = {
      mode = "0644", owner = "root", group = "root"
      content = templatefile("${path.module}/templates/kratos.service.tftpl", {
        config = local.kratos_config
      })
    }
    "/etc/systemd/system/versitygw.service" = {
      mode = "0644", owner = "root", group = "root"
      content = templatefile("${path.module}/templates/versitygw.service.tftpl", {
        listen = local.s3_listen, data_dir = var.object_store_dir, bucket = local.s3_bucket
      })
    }
    "/etc/systemd/system/cpims-backup.service" = {
      mode = "0644", owner = "root", group = "root"
      content = templatefile("${path.module}/templates/cpims-backup.service.tftpl", {
        backup_dir = var.backup_dir
      })
    }
    "/etc/systemd/system/cpims-backup.timer" = {
      mode = "0644", owner = "root", group = "root"
      content = templatefile("${path.module}/templates/cpims-backup.timer.tftpl", {
        on_calendar = var.backup_time
      })
    }
    "/usr/local/sbin/cpims-backup" = {
      mode = "0755", owner = "root", group = "root"
      content = templatefile("${path.module}/templates/cpims-backup.sh.tftpl", {
        backup_dir = var.backup_dir, recipients = var.backup_age_recipients, retention_days = var.backup_retention_days
      })
    }
    "/usr/local/sbin/cpims-admin" = {
      mode    = "0755", owner = "root", group = "root"
      content = templatefile("${path.module}/templates/cpims-admin.tftpl", {})
    }
    "/etc/caddy/Caddyfile" = {
      mode = "0644", owner = "root", group = "root"
      content = templatefile("${path.module}/templates/Caddyfile.tftpl", {
        hosts          = local.hosts
        tls_mode       = var.tls_mode
        acme_email     = coalesce(var.acme_email, "-")
        tls_cert_path  = coalesce(var.tls_cert_path, "-")
        tls_key_path   = coalesce(var.tls_key_path, "-")
        files_bucket   = local.s3_bucket
        files_upstream = local.s3_listen
      })
    }
    "/etc/cpims/cpims.env" = {
      mode = "0640", owner = "root", group = "cpims"
      content = templatefile("${path.module}/templates/cpims.env.tftpl", {
        environment = local.cpims_environment
      })
    }
    "/etc/cpims/kratos.env" = {
      mode = "0640", owner = "root", group = "kratos"
      content = templatefile("${path.module}/templates/kratos.env.tftpl", {
        environment = local.kratos_environment
      })
    }
  }

  install_script = templatefile("${path.module}/templates/install.sh.tftpl", {
    stage_dir         = local.stage_dir
    files             = { for path, f in local.files : path => merge(f, { content_b64 = base64encode(f.content) }) }
    versitygw_sha256  = var.versitygw_binary_sha256
    object_store_dir  = var.object_store_dir
    s3_listen         = local.s3_listen
    s3_region         = local.s3_region
    bucket            = local.s3_bucket
    backup_dir        = var.backup_dir
    smtp_implicit_tls = var.smtp_port == 465
    smtp_host         = var.smtp_host
    smtp_port         = var.smtp_port
    smtp_username_b64 = base64encode(var.smtp_username)
    email_from        = local.email_from
  })

  kratos_config_hash = sha256(join("", [for f in sort(fileset(var.kratos_config_dir, "**")) : "${f}:${filesha256("${var.kratos_config_dir}/${f}")}"]))
}

resource "terraform_data" "install" {
  triggers_replace = {
    install_script = sha256(local.install_script)
    files          = { for path, f in local.files : path => sha256(f.content) }
    cpims          = filesha256(var.cpims_binary)
    kratos         = filesha256(var.kratos_binary)
    kratos_config  = local.kratos_config_hash
    versitygw      = filesha256(var.versitygw_binary)
  }

  connection {
    type        = "ssh"
    host        = var.host
    port        = var.ssh_port
    user        = var.ssh_user
    private_key = var.ssh_private_key
    agent       = var.ssh_private_key == null
    host_key    = var.ssh_host_key
    timeout     = "5m"
  }

  provisioner "remote-exec" {
    inline = ["rm -rf ${local.stage_dir} && mkdir -m 0700 ${local.stage_dir} ${local.stage_dir}/kratos-config"]
  }

  provisioner "file" {
    source      = var.cpims_binary
    destination = "${local.stage_dir}/cpims"
  }

  provisioner "file" {
    source      = var.kratos_binary
    destination = "${local.stage_dir}/kratos"
  }

  provisioner "file" {
    source      = var.versitygw_binary
    destination = "${local.stage_dir}/versitygw"
  }

  provisioner "file" {
    source      = "${trimsuffix(var.kratos_config_dir, "/")}/"
    destination = "${local.stage_dir}/kratos-config"
  }

  provisioner "file" {
    content     = var.smtp_password == null ? "" : var.smtp_password
    destination = "${local.stage_dir}/smtp-password"
  }

  provisioner "file" {
    content     = local.install_script
    destination = "${local.stage_dir}/install.sh"
  }

  provisioner "remote-exec" {
    inline = [
      "${local.sudo}bash ${local.stage_dir}/install.sh; rc=$?; rm -rf ${local.stage_dir}; exit $rc",
    ]
  }

  lifecycle {
    precondition {
      condition     = var.versitygw_binary_sha256 == null || filesha256(var.versitygw_binary) == var.versitygw_binary_sha256
      error_message = "versitygw_binary does not match versitygw_binary_sha256: refusing to install it."
    }
    precondition {
      condition     = fileexists("${var.kratos_config_dir}/kratos.yml")
      error_message = "kratos_config_dir must contain kratos.yml."
    }
  }
}

# Creates the tenant once, with the same idempotent `cpims tenant create --exists-ok` as
# modules/tenant (an existing tenant is left as it is). As in modules/country there is no
# destroy-time provisioner: deleting a tenant is a deliberate operator action
# (`cpims-admin tenant delete <code>`).
resource "terraform_data" "tenant" {
  count = var.create_tenant ? 1 : 0

  triggers_replace = [var.code]

  input = {
    code    = var.code
    name    = var.name
    locales = join(",", var.locales)
  }

  connection {
    type        = "ssh"
    host        = var.host
    port        = var.ssh_port
    user        = var.ssh_user
    private_key = var.ssh_private_key
    agent       = var.ssh_private_key == null
    host_key    = var.ssh_host_key
    timeout     = "5m"
  }

  provisioner "remote-exec" {
    inline = [local.tenant_create_command]
  }

  depends_on = [terraform_data.install]
}

locals {
  # Single-quote every argument for the remote shell.
  tenant_create_args = ["tenant", "create", "--code", var.code, "--name", var.name, "--locales", join(",", var.locales), "--exists-ok"]
  tenant_create_command = "${local.sudo}/usr/local/sbin/cpims-admin ${join(" ", [
    for a in local.tenant_create_args : "'${replace(a, "'", "'\\''")}'"
  ])}"
}
