terraform {
  required_providers {
    databricks = {
      source = "databricks/databricks"
    }
  }
}
