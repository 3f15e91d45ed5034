output "name" {
  value = databricks_external_location.this.name
}
