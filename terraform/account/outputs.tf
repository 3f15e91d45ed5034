output "sender_application_id" {
  description = "sender_application_id of both region roots; sender_service_principal of the bundle"
  value       = databricks_service_principal.this["sender"].application_id
}

output "receiver_application_id" {
  description = "receiver_application_id of both region roots; receiver_service_principal of the bundle"
  value       = databricks_service_principal.this["receiver"].application_id
}

output "dr_application_id" {
  description = "dr_application_id of both region roots: runs failover and failback, calls both Jobs APIs"
  value       = databricks_service_principal.this["dr"].application_id
}

output "principal_ids" {
  description = "Account SCIM ids by role, for `databricks account service-principal-secrets create <id>`"
  value       = { for role, sp in databricks_service_principal.this : role => sp.id }
}
