output "resource_group_name" {
  value = azurerm_resource_group.this.name
}

output "data_account_id" {
  value = azurerm_storage_account.data.id
}

output "sync_account_id" {
  value = azurerm_storage_account.sync.id
}

output "data_url" {
  value = "abfss://${azurerm_storage_container.data.name}@${azurerm_storage_account.data.name}.dfs.core.windows.net"
}

output "sync_url" {
  description = "The region's sync location: sync_location_primary or sync_location_secondary in the config"
  value       = "abfss://${azurerm_storage_container.sync.name}@${azurerm_storage_account.sync.name}.dfs.core.windows.net/deltasync"
}
