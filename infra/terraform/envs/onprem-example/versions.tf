terraform {
  required_version = ">= 1.11.0"

  # No provider. The state records what was installed (hashes, the tenant code), not
  # secrets; keep it with the country's operations team.
}
