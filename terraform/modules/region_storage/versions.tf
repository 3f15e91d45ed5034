# azurerm 4.9.0 added storage_account_id to azurerm_storage_container (CHANGELOG-v4.md, #27733).
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 4.9"
    }
  }
}
