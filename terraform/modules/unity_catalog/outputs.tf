output "storage_credential_name" {
  value = databricks_storage_credential.this.name
}

output "access_connector_principal_id" {
  value = azurerm_databricks_access_connector.this.identity[0].principal_id
}
