terraform {
  required_version = ">= 1.5.0"

  required_providers {
    # >= 4.9.0: azurerm_storage_container.storage_account_id (4.9.0, #27733); < 5.0: 5.0.0 removes
    # deprecated fields. Commit the .terraform.lock.hcl that `terraform providers lock` writes.
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.9"
    }
    databricks = {
      source  = "databricks/databricks"
      version = "~> 1.60"
    }
  }

  # State lives in a remote backend you choose (e.g. azurerm); never in the repository.
  # terraform init -backend-config=backend.hcl
  backend "azurerm" {}
}

provider "azurerm" {
  features {}
  subscription_id = var.subscription_id
}

# The secondary region's workspace; authentication comes from the environment (az login,
# ARM_* or DATABRICKS_* variables), never from this folder.
provider "databricks" {
  host = var.workspace_url
}
