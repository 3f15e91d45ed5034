# deltasync's service principals in one workspace, with least privilege, and the secret scope that
# holds their Jobs API credentials.
#
#   sender:   reads this region's source tables, writes the peer region's sync location
#   receiver: reads this region's sync location, writes this region's tables
#
# Both regions create both, so that failback (secondary to primary) runs with the same split.
# Grants use databricks_grant (one principal each), leaving other principals' grants alone.

resource "databricks_service_principal" "sender" {
  display_name = var.sender_name
}

resource "databricks_service_principal" "receiver" {
  display_name = var.receiver_name
}

# sender: read the sources
resource "databricks_grant" "sender_catalog" {
  catalog    = var.catalog
  principal  = databricks_service_principal.sender.application_id
  privileges = ["USE_CATALOG", "USE_SCHEMA", "SELECT"]
}

# sender: write staging and the ledger in the peer's sync location
resource "databricks_grant" "sender_peer_sync" {
  external_location = var.peer_sync_location
  principal         = databricks_service_principal.sender.application_id
  privileges        = ["READ_FILES", "WRITE_FILES"]
}

# receiver: read staging and the ledger in this region's sync location
resource "databricks_grant" "receiver_sync" {
  external_location = var.own_sync_location
  principal         = databricks_service_principal.receiver.application_id
  privileges        = ["READ_FILES"]
}

# receiver: write the registered tables
resource "databricks_grant" "receiver_catalog" {
  catalog    = var.catalog
  principal  = databricks_service_principal.receiver.application_id
  privileges = ["USE_CATALOG", "USE_SCHEMA", "SELECT", "MODIFY"]
}

resource "databricks_secret_scope" "deltasync" {
  name = var.secret_scope
}

resource "databricks_secret_acl" "sender" {
  scope      = databricks_secret_scope.deltasync.name
  principal  = databricks_service_principal.sender.application_id
  permission = "READ"
}

resource "databricks_secret_acl" "receiver" {
  scope      = databricks_secret_scope.deltasync.name
  principal  = databricks_service_principal.receiver.application_id
  permission = "READ"
}
