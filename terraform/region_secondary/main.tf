# The secondary region of deltasync: storage, Unity Catalog wiring (catalog and schemas included),
# the two sync locations as external locations, the grants of deltasync's principals and the secret
# scope. The principals themselves are account-level (../account, applied first). Apply order
# (docs/deploy.md): ../account; region_secondary with an empty peer_sync_account_id; region_primary
# with the secondary's sync_account_id; region_secondary again with the primary's.

module "storage" {
  source = "../modules/region_storage"

  resource_group_name = var.resource_group_name
  location            = var.location
  data_account_name   = var.data_account_name
  sync_account_name   = var.sync_account_name
  tags                = var.tags
}

module "unity_catalog" {
  source = "../modules/unity_catalog"

  resource_group_name     = module.storage.resource_group_name
  location                = var.location
  tags                    = var.tags
  access_connector_name   = "deltasync-secondary-connector"
  workspace_id            = var.workspace_id
  metastore_id            = var.metastore_id
  storage_credential_name = "deltasync_secondary"
  data_account_id         = module.storage.data_account_id
  sync_account_id         = module.storage.sync_account_id
  peer_sync_account_id    = var.peer_sync_account_id
  data_location_name      = "deltasync_secondary_data"
  data_url                = module.storage.data_url
  catalog                 = var.catalog
  schemas                 = var.schemas
}

module "primary_sync" {
  source = "../modules/external_location"

  name            = "primary_sync"
  url             = var.peer_sync_url
  credential_name = module.unity_catalog.storage_credential_name
  skip_validation = true # region_primary creates this account, maybe after this apply
  comment         = "deltasync sync location in the primary region (sync_location_primary)"
}

module "secondary_sync" {
  source = "../modules/external_location"

  name            = "secondary_sync"
  url             = module.storage.sync_url
  credential_name = module.unity_catalog.storage_credential_name
  skip_validation = false # this root created the account: url and credential order it after them
  comment         = "deltasync sync location in the secondary region (sync_location_secondary)"
}

module "principals" {
  source = "../modules/sync_principals"

  sender_application_id   = var.sender_application_id
  receiver_application_id = var.receiver_application_id
  dr_application_id       = var.dr_application_id
  catalog                 = module.unity_catalog.catalog_name
  own_sync_location       = module.secondary_sync.name
  peer_sync_location      = module.primary_sync.name
  secret_scope            = var.secret_scope
}
