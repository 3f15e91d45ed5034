output "sync_account_id" {
  description = "Pass to the secondary region as peer_sync_account_id"
  value       = module.storage.sync_account_id
}

output "sync_url" {
  description = "sync_location_primary in the deltasync config; peer_sync_url of the secondary region"
  value       = module.storage.sync_url
}

output "secret_scope" {
  value = module.principals.secret_scope
}

output "catalog" {
  value = module.unity_catalog.catalog_name
}

output "data_url" {
  description = "The region's data location; the catalog's storage root is <data_url>/<catalog>"
  value       = module.storage.data_url
}

output "workspace_url" {
  value = var.workspace_url
}
