# What deltasync's three account-level service principals (../../account) may do in one region's
# metastore and workspace. Each grant is what a job does, no more (docs/deploy.md, "Grant matrix";
# TerraformTest checks this file against the same table):
#
#   sender    reads this region's source tables: DESCRIBE HISTORY, DEEP CLONE .. VERSION AS OF
#             writes staging and the ledger in the PEER's sync location: DEEP CLONE into
#             <peer sync>/<workspace>/<group>/.., reads the ledger to its end, appends STAGED rows
#   receiver  reads staging in THIS region's sync location and appends APPLIED rows to the ledger
#             there; CREATE OR REPLACE TABLE <registered table> DEEP CLONE <staging> in the catalog
#   dr        failover (runs in the secondary): reads the ledger and staging here, rolls the last
#             staged sync point forward into the registered tables, records the outcome;
#             failback: records its steps and reads the reverse ledger in the peer's sync location
#
# Both regions grant the same, because the roles swap: after a failover the secondary is active,
# and failback runs the sender in the secondary and the receiver in the primary.
#
# databricks_grant is authoritative for one (securable, principal) pair, so each pair appears once.
# Grants on the catalog take its name from the catalog resource (module unity_catalog, output
# catalog_name) and grants on a location from the location resource, so each comes after the
# object it grants on. Job permissions (CAN_MANAGE_RUN, CAN_MANAGE) are set by the bundle.

# --- sender ---

resource "databricks_grant" "sender_catalog" {
  catalog    = var.catalog
  principal  = var.sender_application_id
  privileges = ["USE_CATALOG", "USE_SCHEMA", "SELECT"]
}

resource "databricks_grant" "sender_peer_sync" {
  external_location = var.peer_sync_location
  principal         = var.sender_application_id
  privileges        = ["READ_FILES", "WRITE_FILES"]
}

# --- receiver ---

resource "databricks_grant" "receiver_own_sync" {
  external_location = var.own_sync_location
  principal         = var.receiver_application_id
  privileges        = ["READ_FILES", "WRITE_FILES"]
}

resource "databricks_grant" "receiver_catalog" {
  catalog    = var.catalog
  principal  = var.receiver_application_id
  privileges = ["USE_CATALOG", "USE_SCHEMA", "SELECT", "MODIFY", "CREATE_TABLE"]
}

# --- dr: failover and failback ---

resource "databricks_grant" "dr_own_sync" {
  external_location = var.own_sync_location
  principal         = var.dr_application_id
  privileges        = ["READ_FILES", "WRITE_FILES"]
}

resource "databricks_grant" "dr_peer_sync" {
  external_location = var.peer_sync_location
  principal         = var.dr_application_id
  privileges        = ["READ_FILES", "WRITE_FILES"]
}

resource "databricks_grant" "dr_catalog" {
  catalog    = var.catalog
  principal  = var.dr_application_id
  privileges = ["USE_CATALOG", "USE_SCHEMA", "SELECT", "MODIFY", "CREATE_TABLE"]
}

# --- the secret scope of the Jobs API credentials: every job reads its own credentials ---

resource "databricks_secret_scope" "deltasync" {
  name = var.secret_scope
}

resource "databricks_secret_acl" "sender" {
  scope      = databricks_secret_scope.deltasync.name
  principal  = var.sender_application_id
  permission = "READ"
}

resource "databricks_secret_acl" "receiver" {
  scope      = databricks_secret_scope.deltasync.name
  principal  = var.receiver_application_id
  permission = "READ"
}

resource "databricks_secret_acl" "dr" {
  scope      = databricks_secret_scope.deltasync.name
  principal  = var.dr_application_id
  permission = "READ"
}
