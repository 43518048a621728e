# Rendering of the on-premises install. No provider and no SSH: plan only, then assertions
# on the rendered files, the install script and the triggers.

variables {
  host                  = "192.0.2.10"
  ssh_host_key          = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeHostKeyForTestsOnly0000000000000000"
  domain                = "cpims.gov.example"
  code                  = "so"
  name                  = "Somalia"
  locales               = ["so", "en", "ar"]
  cpims_binary          = "tests/fixtures/cpims"
  kratos_binary         = "tests/fixtures/kratos"
  kratos_config_dir     = "tests/fixtures/kratos-config"
  versitygw_binary      = "tests/fixtures/versitygw"
  acme_email            = "ops@gov.example"
  smtp_host             = "smtp.gov.example"
  smtp_username         = "cpims"
  smtp_password         = "test-only-smtp-password-Zq9"
  backup_age_recipients = ["age1qpzry9x8gf2tvdw0s3jn54khce6mua7lqpzry9x8gf2tvdw0s3jn54khce"]
}

run "systemd_units_run_the_right_commands_unprivileged" {
  command = plan

  assert {
    condition     = strcontains(local.files["/etc/systemd/system/cpims.service"].content, "\nExecStart=/usr/local/bin/cpims serve\n")
    error_message = "cpims.service must run `cpims serve`."
  }
  assert {
    condition     = strcontains(local.files["/etc/systemd/system/cpims-worker.service"].content, "\nExecStart=/usr/local/bin/cpims worker\n")
    error_message = "cpims-worker.service must run `cpims worker`."
  }
  assert {
    condition = alltrue([
      strcontains(local.files["/etc/systemd/system/kratos.service"].content, "\nExecStartPre=/usr/local/bin/kratos migrate sql -e --yes --config /etc/kratos/kratos.yml\n"),
      strcontains(local.files["/etc/systemd/system/kratos.service"].content, "\nExecStart=/usr/local/bin/kratos serve --config /etc/kratos/kratos.yml --watch-courier --sqa-opt-out\n"),
      # No dev mode (--dev, or DEV in its environment): Kratos' session cookie stays Secure.
      !strcontains(local.files["/etc/systemd/system/kratos.service"].content, "--dev"),
      length(regexall("(?mi)^DEV=", local.files["/etc/cpims/kratos.env"].content)) == 0,
      startswith(local.kratos_environment["SERVE_PUBLIC_BASE_URL"], "https://"),
    ])
    error_message = "kratos.service must migrate, then serve with /etc/kratos/kratos.yml, never in dev mode (its session cookie must be Secure)."
  }
  assert {
    condition     = strcontains(local.files["/etc/systemd/system/versitygw.service"].content, "\nExecStart=/usr/local/bin/versitygw --port 127.0.0.1:7070 --health /health --quiet posix /var/lib/versitygw\n")
    error_message = "versitygw.service must run the S3 server on loopback with the POSIX backend in object_store_dir."
  }
  assert {
    condition     = strcontains(local.files["/etc/systemd/system/versitygw.service"].content, "\nEnvironmentFile=/etc/cpims/versitygw-secrets.env\n") && strcontains(local.files["/etc/systemd/system/versitygw.service"].content, "\nReadWritePaths=/var/lib/versitygw\n")
    error_message = "versitygw must read its root keys from the root-written env file and write only its data directory."
  }
  assert {
    condition = alltrue([
      for path, f in local.files : (
        can(regex("\nUser=[a-z]+\n", f.content)) && !strcontains(f.content, "\nUser=root\n") && strcontains(f.content, "\nNoNewPrivileges=yes\n")
      ) if endswith(path, ".service")
    ])
    error_message = "Every service must run as a non-root user with NoNewPrivileges."
  }
  assert {
    condition = alltrue([
      for unit in ["cpims.service", "cpims-worker.service"] :
      strcontains(local.files["/etc/systemd/system/${unit}"].content, "\nEnvironmentFile=/etc/cpims/cpims-secrets.env\n")
    ])
    error_message = "cpims units must read their secrets from the root-written env file."
  }
}

run "nightly_backups_are_encrypted" {
  command = plan

  assert {
    condition     = strcontains(local.files["/etc/systemd/system/cpims-backup.timer"].content, "\nOnCalendar=*-*-* 02:30:00\n") && strcontains(local.files["/etc/systemd/system/cpims-backup.timer"].content, "\nPersistent=true\n")
    error_message = "A persistent nightly timer must start the backup."
  }
  assert {
    condition     = strcontains(local.files["/etc/systemd/system/cpims-backup.service"].content, "\nExecStart=/usr/local/sbin/cpims-backup\n")
    error_message = "The backup service must run the backup script."
  }
  assert {
    condition = alltrue([
      for line in split("\n", local.files["/usr/local/sbin/cpims-backup"].content) :
      strcontains(line, "| encrypt_to ") if can(regex("^\\s*pg_dump", line))
    ]) && length(regexall("pg_dump", local.files["/usr/local/sbin/cpims-backup"].content)) >= 2
    error_message = "Every dump must be piped straight into age encryption."
  }
  assert {
    condition     = strcontains(local.files["/usr/local/sbin/cpims-backup"].content, "recipients=(-r age1qpzry9x8gf2tvdw0s3jn54khce6mua7lqpzry9x8gf2tvdw0s3jn54khce )") && strcontains(local.files["/usr/local/sbin/cpims-backup"].content, "age \"$${recipients[@]}\" > \"$tmp\"")
    error_message = "age must encrypt to the configured public keys."
  }
  assert {
    condition     = strcontains(local.files["/usr/local/sbin/cpims-backup"].content, "pg_dump --format=custom --dbname=\"$db\"") && strcontains(local.files["/usr/local/sbin/cpims-backup"].content, "for db in cpims kratos; do")
    error_message = "Both databases must be dumped."
  }
  assert {
    condition     = strcontains(local.files["/usr/local/sbin/cpims-backup"].content, "umask 077")
    error_message = "Backup files must be private to their owner."
  }
}

run "internal_services_listen_on_loopback_only" {
  command = plan

  assert {
    condition     = strcontains(local.files["/etc/systemd/system/versitygw.service"].content, " --port 127.0.0.1:7070 ") && !strcontains(local.files["/etc/systemd/system/versitygw.service"].content, "--admin-port") && !strcontains(local.files["/etc/systemd/system/versitygw.service"].content, "--webui")
    error_message = "versitygw must listen on loopback only, with no admin or web UI port."
  }
  assert {
    condition     = strcontains(local.files["/etc/cpims/cpims.env"].content, "\nCPIMS_ADDR=127.0.0.1:8080\n")
    error_message = "cpims must listen on loopback only (Caddy fronts it)."
  }
  assert {
    condition     = strcontains(local.files["/etc/cpims/kratos.env"].content, "\nSERVE_PUBLIC_HOST=127.0.0.1\n") && strcontains(local.files["/etc/cpims/kratos.env"].content, "\nSERVE_ADMIN_HOST=127.0.0.1\n")
    error_message = "Kratos must listen on loopback only."
  }
}

run "reverse_proxy_serves_tls_for_the_tenant_and_platform_hosts" {
  command = plan

  assert {
    condition     = strcontains(local.files["/etc/caddy/Caddyfile"].content, "\ncpims.gov.example, so.cpims.gov.example {\n")
    error_message = "Caddy must serve the platform host and the tenant host."
  }
  assert {
    condition     = strcontains(local.files["/etc/caddy/Caddyfile"].content, "protocols tls1.2 tls1.3") && strcontains(local.files["/etc/caddy/Caddyfile"].content, "email ops@gov.example")
    error_message = "Caddy must use ACME with TLS 1.2+ only."
  }
  assert {
    condition     = strcontains(local.files["/etc/caddy/Caddyfile"].content, "Strict-Transport-Security \"max-age=31536000; includeSubDomains\"")
    error_message = "Caddy must send HSTS."
  }
  assert {
    condition     = strcontains(local.files["/etc/caddy/Caddyfile"].content, "reverse_proxy 127.0.0.1:8080") && length(regexall("reverse_proxy", local.files["/etc/caddy/Caddyfile"].content)) == 2 && !strcontains(local.files["/etc/caddy/Caddyfile"].content, ":4433") && !strcontains(local.files["/etc/caddy/Caddyfile"].content, ":4434")
    error_message = "Caddy must proxy to cpims (Kratos is reached through cpims, never directly) and to versitygw for downloads only."
  }
}

run "government_pki_certificate" {
  command = plan

  variables {
    tls_mode      = "files"
    tls_cert_path = "/etc/ssl/cpims/fullchain.pem"
    tls_key_path  = "/etc/ssl/cpims/privkey.pem"
  }

  assert {
    condition     = strcontains(local.files["/etc/caddy/Caddyfile"].content, "tls /etc/ssl/cpims/fullchain.pem /etc/ssl/cpims/privkey.pem {") && !strcontains(local.files["/etc/caddy/Caddyfile"].content, "email ")
    error_message = "With tls_mode = files Caddy must use the given certificate and no ACME."
  }
}

run "secrets_stay_out_of_rendered_files" {
  command = plan

  assert {
    condition     = !strcontains(local.install_script, "test-only-smtp-password") && alltrue([for f in values(local.files) : !strcontains(f.content, "test-only-smtp-password")])
    error_message = "The SMTP password must not be rendered into any file (it travels only as an ephemeral upload)."
  }
  assert {
    condition     = !strcontains(local.files["/etc/systemd/system/versitygw.service"].content, "ROOT_SECRET_KEY=") && !strcontains(local.files["/etc/cpims/cpims.env"].content, "CPIMS_S3_SECRET_KEY")
    error_message = "The S3 keys must stay in the secret env files written on the server."
  }
  assert {
    condition     = strcontains(local.install_script, "\nROOT_SECRET_KEY=$(cat $s/s3-secret-key)\n") && strcontains(local.install_script, "\nCPIMS_S3_SECRET_KEY=$(cat $s/s3-secret-key)\n") && strcontains(local.install_script, "write_env /etc/cpims/versitygw-secrets.env versitygw <<ENV")
    error_message = "The S3 keys are generated on the server and given to versitygw and cpims through their secret env files."
  }
  assert {
    condition     = strcontains(local.install_script, "secret $s/db-cpims-app 24") && strcontains(local.install_script, "install -o root -g \"$2\" -m 0440")
    error_message = "Secrets must be generated on the server and written readable by the service group only."
  }
  assert {
    condition     = strcontains(local.install_script, "\nsecret $s/device-key-secret 32") && strcontains(local.install_script, "\nCPIMS_DEVICE_KEY_SECRET=$(cat $s/device-key-secret)\n") && !anytrue([for path, f in local.files : strcontains(f.content, "DEVICE_KEY_SECRET")])
    error_message = "The device key secret is generated on the server, kept out of the database and the rendered files, and given to cpims through its secret env file."
  }
  assert {
    condition     = strcontains(local.install_script, "/usr/local/sbin/cpims-admin migrate\n") && strcontains(local.install_script, "/usr/local/sbin/cpims-admin devices reseal --all\n")
    error_message = "After migrating, the install seals device keys with the current secret (keys stored in clear by an older release)."
  }
}

run "email_goes_through_the_smtp_relay_with_tls" {
  command = plan

  assert {
    condition     = strcontains(local.install_script, "cpims_email_url=\"smtp://$${smtp_auth}smtp.gov.example:587?from=$(urlencode 'no-reply@cpims.gov.example')&tls=starttls\"") && strcontains(local.install_script, "\nCPIMS_EMAIL_URL=$cpims_email_url\n")
    error_message = "cpims must send through the relay with STARTTLS on port 587."
  }
  assert {
    condition     = strcontains(local.install_script, "kratos_smtp_uri=\"smtp://$${smtp_auth}smtp.gov.example:587/\"") && strcontains(local.install_script, "\nCOURIER_SMTP_CONNECTION_URI=$kratos_smtp_uri\n")
    error_message = "Kratos must send through the same relay."
  }
}

run "email_over_implicit_tls" {
  command = plan

  variables {
    smtp_port = 465
  }

  assert {
    condition     = strcontains(local.install_script, ":465?from=$(urlencode 'no-reply@cpims.gov.example')&tls=implicit\"") && strcontains(local.install_script, "kratos_smtp_uri=\"smtps://")
    error_message = "Port 465 must use implicit TLS for both cpims and Kratos."
  }
}

run "kratos_accepts_no_self_registration" {
  command = plan

  assert {
    condition     = strcontains(local.files["/etc/cpims/kratos.env"].content, "\nSELFSERVICE_FLOWS_REGISTRATION_ENABLED=false\n")
    error_message = "Users are invited: Kratos self-registration must be off."
  }
  assert {
    condition     = strcontains(local.files["/etc/cpims/kratos.env"].content, "\nSELFSERVICE_METHODS_PROFILE_ENABLED=false\n")
    error_message = "People must not change their own email: Kratos' profile settings method must be off."
  }
  assert {
    condition     = strcontains(local.files["/etc/cpims/kratos.env"].content, "\nSERVE_PUBLIC_BASE_URL=https://so.cpims.gov.example/.ory/\n")
    error_message = "Kratos' public URL must be the tenant host's /.ory/ proxy."
  }
  assert {
    condition     = strcontains(local.files["/etc/cpims/cpims.env"].content, "\nCPIMS_APP_URL=https://cpims.gov.example\n")
    error_message = "cpims must know the platform origin (emailed links lead to https://<code>.<domain>)."
  }
}

run "changes_to_rendered_files_and_binaries_trigger_a_reinstall" {
  command = plan

  assert {
    condition     = alltrue([for path, f in local.files : terraform_data.install.triggers_replace.files[path] == sha256(f.content)])
    error_message = "Every rendered file's hash must be a trigger of the install."
  }
  assert {
    condition = (
      terraform_data.install.triggers_replace.install_script == sha256(local.install_script) &&
      terraform_data.install.triggers_replace.cpims == filesha256("tests/fixtures/cpims") &&
      terraform_data.install.triggers_replace.kratos == filesha256("tests/fixtures/kratos") &&
      terraform_data.install.triggers_replace.versitygw == filesha256("tests/fixtures/versitygw")
    )
    error_message = "The install script and every binary must be triggers of the install."
  }
  assert {
    condition     = alltrue([for path in keys(local.files) : strcontains(local.install_script, "\nput ${path} ")])
    error_message = "The install script must write every rendered file."
  }
}

run "tenant_is_created_with_quoted_arguments" {
  command = plan

  variables {
    code     = "ci"
    name     = "Côte d'Ivoire"
    locales  = ["fr", "en"]
    ssh_user = "deploy"
  }

  assert {
    condition     = local.tenant_create_command == "sudo -n /usr/local/sbin/cpims-admin 'tenant' 'create' '--code' 'ci' '--name' 'Côte d'\\''Ivoire' '--locales' 'fr,en' '--exists-ok'"
    error_message = "The tenant create command must quote every argument for the remote shell."
  }
}

run "versitygw_binary_must_match_its_checksum" {
  command = plan

  variables {
    versitygw_binary_sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
  }

  expect_failures = [terraform_data.install]
}

run "versitygw_checksum_is_verified_on_the_server_too" {
  command = plan

  variables {
    versitygw_binary_sha256 = "493e3eee118fc2820f7476b48ff9e60ea8f218733347cedcecacd5eca5bfbb5c"
  }

  assert {
    condition     = strcontains(local.install_script, "echo \"493e3eee118fc2820f7476b48ff9e60ea8f218733347cedcecacd5eca5bfbb5c  $stage/versitygw\" | sha256sum --check")
    error_message = "The install must verify the versitygw binary after upload."
  }
}

run "rejects_reserved_code" {
  command = plan
  variables {
    code = "platform"
  }
  expect_failures = [var.code]
}

run "rejects_bad_age_recipient" {
  command = plan
  variables {
    backup_age_recipients = ["-----BEGIN PGP PUBLIC KEY BLOCK-----"]
  }
  expect_failures = [var.backup_age_recipients]
}

run "rejects_acme_without_email" {
  command = plan
  variables {
    acme_email = null
  }
  expect_failures = [var.acme_email]
}

run "files_are_stored_on_versitygw_and_downloaded_through_caddy" {
  command = plan

  assert {
    condition = alltrue([
      strcontains(local.files["/etc/cpims/cpims.env"].content, "\nCPIMS_S3_ENDPOINT=http://127.0.0.1:7070\n"),
      strcontains(local.files["/etc/cpims/cpims.env"].content, "\nCPIMS_S3_BUCKET=cpims-files\n"),
      strcontains(local.files["/etc/cpims/cpims.env"].content, "\nCPIMS_S3_PUBLIC_ENDPOINT=https://cpims.gov.example\n"),
    ])
    error_message = "cpims must store files on the local versitygw and sign download links for the public host."
  }
  assert {
    condition     = strcontains(local.files["/etc/caddy/Caddyfile"].content, "\t@files {\n\t\tpath /cpims-files/*\n\t\tmethod GET HEAD\n\t}\n\thandle @files {\n\t\treverse_proxy 127.0.0.1:7070\n\t}\n")
    error_message = "Caddy must pass only GET and HEAD of the bucket's objects to versitygw (presigned downloads)."
  }
  assert {
    condition     = !strcontains(local.files["/etc/caddy/Caddyfile"].content, "header_up Host")
    error_message = "Caddy must pass the Host header on unchanged: the presigned signature covers it."
  }
  assert {
    condition     = strcontains(local.install_script, "--aws-sigv4 \"aws:amz:us-east-1:s3\"") && strcontains(local.install_script, "http://127.0.0.1:7070/cpims-files)") && strcontains(local.install_script, "200 | 409) ;;")
    error_message = "The install must create the bucket, accepting one that exists."
  }
  assert {
    condition     = strcontains(local.install_script, "setfattr -n user.cpims -v 1 \"$probe\"") && strcontains(local.install_script, "install -d -o versitygw -g versitygw -m 0700 /var/lib/versitygw")
    error_message = "The install must check that object_store_dir keeps extended attributes, and keep it private to versitygw."
  }
  assert {
    condition     = strcontains(local.files["/etc/systemd/system/cpims.service"].content, "After=network-online.target postgresql.service versitygw.service kratos.service")
    error_message = "cpims must start after versitygw."
  }
}
