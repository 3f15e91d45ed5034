output "sender_application_id" {
  description = "Pass as --var sender_service_principal=... to databricks bundle deploy"
  value       = databricks_service_principal.sender.application_id
}

output "receiver_application_id" {
  description = "Pass as --var receiver_service_principal=... to databricks bundle deploy"
  value       = databricks_service_principal.receiver.application_id
}

output "secret_scope" {
  value = databricks_secret_scope.deltasync.name
}
