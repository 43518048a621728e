terraform {
  required_version = ">= 1.11.0"

  # No provider: terraform_data and local-exec are built in, so this module (and the
  # test environment of `cpims provision`, e2e/testdata) runs offline.
}
