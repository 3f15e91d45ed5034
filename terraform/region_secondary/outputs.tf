output "sync_account_id" {
  description = "Pass to the primary region as peer_sync_account_id"
  value       = module.storage.sync_account_id
}

output "sync_url" {
  description = "sync_location_secondary in the deltasync config; peer_sync_url of the primary region"
  value       = module.storage.sync_url
}

output "sender_application_id" {
  value = module.principals.sender_application_id
}

output "receiver_application_id" {
  value = module.principals.receiver_application_id
}

output "secret_scope" {
  value = module.principals.secret_scope
}

output "data_url" {
  description = "Storage root for the catalog of the synced tables in this region"
  value       = module.storage.data_url
}

output "workspace_url" {
  value = var.workspace_url
}
