output "storage_credential_name" {
  value = databricks_storage_credential.this.name
}

output "access_connector_principal_id" {
  value = azurerm_databricks_access_connector.this.identity[0].principal_id
}

output "catalog_name" {
  description = "The catalog, from the resource: whatever grants on it depends on its creation"
  value       = databricks_catalog.this.name
}

output "schema_names" {
  value = concat([for s in databricks_schema.this : s.name], [databricks_schema.deltasync.name])
}
