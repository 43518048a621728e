terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # State holds resource ids and the tenant list (no secret values: those go through
  # write-only attributes). Keep it in an encrypted, versioned bucket with locking, e.g.:
  # backend "s3" {
  #   bucket       = "cpims-terraform-state-<account id>"
  #   key          = "aws-example/terraform.tfstate"
  #   region       = "eu-west-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "cpims"
      Environment = var.name
      ManagedBy   = "terraform"
    }
  }
}
