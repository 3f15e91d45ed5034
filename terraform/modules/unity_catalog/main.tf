# Unity Catalog in one region: the workspace joins the region's metastore, and an access connector
# (a managed identity) becomes the storage credential behind the external locations. The
# connector may read and write this region's data and sync accounts and the peer region's sync
# account: the sender writes to the peer's sync location.

resource "azurerm_databricks_access_connector" "this" {
  name                = var.access_connector_name
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_role_assignment" "storage" {
  for_each             = toset(compact([var.data_account_id, var.sync_account_id, var.peer_sync_account_id]))
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
