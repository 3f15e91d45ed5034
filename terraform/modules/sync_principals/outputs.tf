output "secret_scope" {
  value = databricks_secret_scope.deltasync.name
}
