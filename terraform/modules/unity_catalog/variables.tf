variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "access_connector_name" {
  type = string
}

variable "workspace_id" {
  description = "Numeric id of the region's Databricks workspace"
  type        = string
}

variable "metastore_id" {
  description = "Id of the region's Unity Catalog metastore"
  type        = string
}

variable "storage_credential_name" {
  type = string
}

variable "data_account_id" {
  type = string
}

variable "sync_account_id" {
  type = string
}

variable "peer_sync_account_id" {
  description = "The other region's sync account; empty on the first apply, before it exists"
  type        = string
  default     = ""
}

variable "data_location_name" {
  type = string
}

variable "data_url" {
  type = string
}

variable "catalog" {
  description = "Catalog of the synced tables, the same name in both regions"
  type        = string
}

variable "schemas" {
  description = "Schemas of the synced tables in the catalog"
  type        = list(string)

  validation {
    condition     = !contains(var.schemas, "deltasync")
    error_message = "The schema deltasync is created by this module for deltasync's own objects: leave it out of schemas."
  }
}
