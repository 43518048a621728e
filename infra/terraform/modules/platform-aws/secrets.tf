# Application secrets in Secrets Manager, encrypted with the data key. Values arrive as
# ephemeral variables and are written through write-only attributes, so they appear neither
# in the state nor in plans. ECS injects them into containers (the execution role reads
# them); the task roles themselves cannot read any secret.
#
# sslmode=require: the connection is encrypted (the parameter group also forces TLS), but the
# images do not carry the RDS CA bundle yet, so the server certificate is not verified.
#
# The login roles cpims_app and kratos (and the kratos database) are created in PostgreSQL
# with these passwords by the database bootstrap step in docs/runbook.md.

resource "aws_secretsmanager_secret" "app" {
  name                    = "${var.name}/cpims/database"
  description             = "cpims: database URL of the cpims_app login role, operator API key"
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = aws_secretsmanager_secret.app.id
  secret_string_wo = jsonencode({
    username = "cpims_app"
    password = var.app_db_password
    host     = aws_db_instance.this.address
    port     = aws_db_instance.this.port
    dbname   = "cpims"
    url      = "postgres://cpims_app:${var.app_db_password}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/cpims?sslmode=require"

    operator_api_key = var.operator_api_key
  })
  secret_string_wo_version = var.secrets_version
}

resource "aws_secretsmanager_secret" "kratos" {
  name                    = "${var.name}/kratos"
  description             = "Ory Kratos: DSN, secrets, courier SMTP URI"
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret_version" "kratos" {
  secret_id = aws_secretsmanager_secret.kratos.id
  secret_string_wo = jsonencode({
    username       = "kratos"
    password       = var.kratos_db_password
    dsn            = "postgres://kratos:${var.kratos_db_password}@${aws_db_instance.this.address}:${aws_db_instance.this.port}/kratos?sslmode=require&max_conns=20"
    default_secret = var.kratos_default_secret
    cookie_secret  = var.kratos_cookie_secret
    smtp_uri       = var.kratos_smtp_uri
  })
  secret_string_wo_version = var.secrets_version
}

# The cipher secret encrypts data Kratos stores; replacing it would make that data
# unreadable, so it has its own version and is never rotated with the others (rotate it by
# writing "new,old": Kratos encrypts with the first entry and decrypts with all).
resource "aws_secretsmanager_secret" "kratos_cipher" {
  name                    = "${var.name}/kratos-cipher"
  description             = "Ory Kratos: cipher secret (secrets.cipher)"
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret_version" "kratos_cipher" {
  secret_id                = aws_secretsmanager_secret.kratos_cipher.id
  secret_string_wo         = var.kratos_cipher_secret
  secret_string_wo_version = var.kratos_cipher_secret_version
}

# The device key secret seals the device keys stored in the tenants' databases
# (docs/devices.md): kept outside the database, so a database dump or snapshot holds no key
# that opens a device's offline copy. Like the cipher secret it has its own version and is
# never rotated with the others (rotate by writing "new,old", then `cpims devices reseal`).
resource "aws_secretsmanager_secret" "device_keys" {
  name                    = "${var.name}/cpims/device-key-secret"
  description             = "cpims: secret sealing device keys at rest (CPIMS_DEVICE_KEY_SECRET)"
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = 30
}

resource "aws_secretsmanager_secret_version" "device_keys" {
  secret_id                = aws_secretsmanager_secret.device_keys.id
  secret_string_wo         = var.device_key_secret
  secret_string_wo_version = var.device_key_secret_version
}
