# The tenant creation command. The fake binary fails unless it receives exactly these
# arguments, so the apply passes only if the command line is built right, including a
# name that needs quoting.

variables {
  code          = "ci"
  name          = "Côte d'Ivoire \"test\" $HOME"
  locales       = ["fr", "en"]
  cpims_command = "tests/fixtures/fake-cpims"
  cpims_command_environment = {
    EXPECT_CODE    = "ci"
    EXPECT_NAME    = "Côte d'Ivoire \"test\" $HOME"
    EXPECT_LOCALES = "fr,en"
  }
}

run "creates_the_tenant_with_exact_arguments" {
  assert {
    condition     = terraform_data.tenant.input == { code = "ci", name = "Côte d'Ivoire \"test\" $HOME", locales = "fr,en" }
    error_message = "The tenant resource must record what it created."
  }
  assert {
    condition     = output.code == "ci"
    error_message = "The module must output the tenant code."
  }
}
