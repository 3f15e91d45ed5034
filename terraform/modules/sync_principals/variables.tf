variable "sender_application_id" {
  description = "Application id of the account-level sender principal (output of ../../account)"
  type        = string
}

variable "receiver_application_id" {
  description = "Application id of the account-level receiver principal (output of ../../account)"
  type        = string
}

variable "dr_application_id" {
  description = "Application id of the account-level failover/failback principal (output of ../../account)"
  type        = string
}

variable "catalog" {
  description = "Catalog of the synced tables: pass the catalog resource's name (module unity_catalog)"
  type        = string
}

variable "own_sync_location" {
  description = "External location name of this region's sync location (from the location resource)"
  type        = string
}

variable "peer_sync_location" {
  description = "External location name of the other region's sync location (from the location resource)"
  type        = string
}

variable "secret_scope" {
  description = "Secret scope of the Jobs API credentials (secret_scope in the config)"
  type        = string
}
