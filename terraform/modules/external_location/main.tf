# One deltasync sync location as a Unity Catalog external location. Both regions declare the same
# two (primary_sync and secondary_sync), so either side can send or receive after a failover.

resource "databricks_external_location" "this" {
  name            = var.name
  url             = var.url
  credential_name = var.credential_name
  comment         = var.comment
}
