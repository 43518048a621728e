# No provider: everything happens over SSH with built-in terraform_data and provisioners.
terraform {
  required_version = ">= 1.11.0"
}
