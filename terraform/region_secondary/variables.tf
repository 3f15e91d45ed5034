variable "subscription_id" {
  description = "Azure subscription of the secondary region"
  type        = string
}

variable "location" {
  description = "Azure region of the secondary region"
  type        = string
  default     = "westus2"
}

variable "resource_group_name" {
  type    = string
  default = "rg-deltasync-secondary"
}

variable "data_account_name" {
  description = "ADLS Gen2 account of the workflows' tables (globally unique)"
  type        = string
}

variable "sync_account_name" {
  description = "ADLS Gen2 account of the secondary sync location (globally unique)"
  type        = string
}

variable "workspace_url" {
  description = "URL of the secondary Databricks workspace"
  type        = string
}

variable "workspace_id" {
  description = "Numeric id of the secondary Databricks workspace"
  type        = string
}

variable "metastore_id" {
  description = "Unity Catalog metastore of the secondary region"
  type        = string
}

variable "catalog" {
  description = "Catalog of the synced tables, the same name in both regions"
  type        = string
  default     = "dr_test_catalog"
}

variable "schemas" {
  description = "Schemas of the synced tables in the catalog (deltasync's own schema is added)"
  type        = list(string)
  default     = ["raw", "stage", "main"]
}

variable "sender_application_id" {
  description = "Output sender_application_id of ../account"
  type        = string
}

variable "receiver_application_id" {
  description = "Output receiver_application_id of ../account"
  type        = string
}

variable "dr_application_id" {
  description = "Output dr_application_id of ../account"
  type        = string
}

variable "secret_scope" {
  description = "Secret scope of deltasync's Jobs API credentials (secret_scope in the config)"
  type        = string
  default     = "deltasync"
}

variable "peer_sync_account_id" {
  description = "Resource id of the primary region's sync account (output sync_account_id there); empty on the first apply"
  type        = string
  default     = ""
}

variable "peer_sync_url" {
  description = "abfss:// URL of the primary region's sync location (output sync_url there)"
  type        = string
}

variable "tags" {
  type    = map(string)
  default = { app = "deltasync", region_role = "secondary" }
}
