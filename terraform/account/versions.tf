terraform {
  required_version = ">= 1.5.0"

  required_providers {
    databricks = {
      source  = "databricks/databricks"
      version = "~> 1.60"
    }
  }

  # State lives in a remote backend you choose (e.g. azurerm); never in the repository.
  backend "azurerm" {}
}

# The Azure Databricks account (both workspaces belong to it). Authentication comes from the
# environment (az login as an account admin, or DATABRICKS_* variables), never from this folder.
provider "databricks" {
  host       = "https://accounts.azuredatabricks.net"
  account_id = var.account_id
}
