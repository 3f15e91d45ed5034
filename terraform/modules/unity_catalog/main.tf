# Unity Catalog in one region: the workspace joins the region's metastore, an access connector
# (a managed identity) becomes the storage credential behind the external locations, and the
# catalog of the synced tables, its schemas and the `deltasync` schema are created on the region's
# data location. The connector may read and write this region's data and sync accounts and the
# peer region's sync account: the sender writes to the peer's sync location.
#
# Plan-time keys: for_each iterates maps whose keys are written here (data, sync, peer_sync) or
# variable values, never resource ids, which are known only after apply.

resource "azurerm_databricks_access_connector" "this" {
  name                = var.access_connector_name
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags

  identity {
    type = "SystemAssigned"
  }
}

locals {
  storage_accounts = {
    data      = var.data_account_id
    sync      = var.sync_account_id
    peer_sync = var.peer_sync_account_id
  }
  # The peer's account exists only after the other root's first apply: left out until its id is
  # passed (second pass). The filter reads only a key and a variable, both known at plan time.
  granted_accounts = {
    for key, id in local.storage_accounts : key => id if key != "peer_sync" || var.peer_sync_account_id != ""
  }
}

resource "azurerm_role_assignment" "storage" {
  for_each             = local.granted_accounts
  scope                = each.value
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_databricks_access_connector.this.identity[0].principal_id
}

resource "databricks_metastore_assignment" "this" {
  workspace_id = var.workspace_id
  metastore_id = var.metastore_id
}

resource "databricks_storage_credential" "this" {
  name    = var.storage_credential_name
  comment = "deltasync: data and sync locations of this region and the peer's sync location"

  azure_managed_identity {
    access_connector_id = azurerm_databricks_access_connector.this.id
  }

  depends_on = [databricks_metastore_assignment.this, azurerm_role_assignment.storage]
}

resource "databricks_external_location" "data" {
  name            = var.data_location_name
  url             = var.data_url
  credential_name = databricks_storage_credential.this.name
  comment         = "Tables of the workflows in this region"
}

# The catalog of the synced tables (the same name in both regions), managed on the region's data
# location. Grants on it (modules/sync_principals) take its name from the output catalog_name, so
# Terraform creates them after it.
resource "databricks_catalog" "this" {
  name         = var.catalog
  storage_root = "${databricks_external_location.data.url}/${var.catalog}"
  comment      = "Tables the deltasync groups sync; the same name in both regions"
}

resource "databricks_schema" "this" {
  for_each     = toset(var.schemas)
  catalog_name = databricks_catalog.this.name
  name         = each.key
  comment      = "Schema of the synced tables"
}

# deltasync's own objects in this region's catalog (e.g. the jars volume of the bundle)
resource "databricks_schema" "deltasync" {
  catalog_name = databricks_catalog.this.name
  name         = "deltasync"
  comment      = "deltasync's own objects"
}
