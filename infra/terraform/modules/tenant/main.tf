# Creates one tenant with the cpims CLI, once, from the machine running Terraform:
#
#   <cpims_command> tenant create --code <code> --name <name> --locales <csv> --exists-ok
#
# `--exists-ok` makes the command idempotent, with the same rules as `cpims provision`: an
# existing active or suspended tenant is left as it is (a suspended one is not resumed), a
# tenant whose provisioning failed is created again, one being provisioned is waited for,
# and one scheduled for deletion is an error. So losing this resource from the state, or
# creating the tenant with `cpims provision` before this resource existed, is harmless.
#
# There is deliberately no destroy-time provisioner: removing this module from the
# configuration does NOT delete the tenant or its data. Suspending and deleting a tenant
# are operator actions (`cpims tenant suspend|delete <code>`, see docs/runbook.md).
#
# Only the code triggers a re-run; display name and locales changed later are managed in
# the application. Values reach the command through environment variables, so a name such
# as "Côte d'Ivoire" needs no shell quoting.
resource "terraform_data" "tenant" {
  triggers_replace = [var.code]

  input = {
    code    = var.code
    name    = var.name
    locales = join(",", var.locales)
  }

  provisioner "local-exec" {
    interpreter = ["/bin/bash", "-c"]
    command     = "set -euo pipefail; ${var.cpims_command} tenant create --code \"$CPIMS_TENANT_CODE\" --name \"$CPIMS_TENANT_NAME\" --locales \"$CPIMS_TENANT_LOCALES\" --exists-ok"
    environment = merge(var.cpims_command_environment, {
      CPIMS_TENANT_CODE    = var.code
      CPIMS_TENANT_NAME    = var.name
      CPIMS_TENANT_LOCALES = join(",", var.locales)
    })
  }
}
