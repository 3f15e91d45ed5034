variable "resource_group_name" {
  description = "Resource group of the region's deltasync storage"
  type        = string
}

variable "location" {
  description = "Azure region, e.g. eastus2"
  type        = string
}

variable "data_account_name" {
  description = "ADLS Gen2 account of the workflows' tables (3-24 lowercase letters and digits)"
  type        = string
}

variable "sync_account_name" {
  description = "ADLS Gen2 account of deltasync's sync location (staging and ledger)"
  type        = string
}

variable "tags" {
  description = "Tags on every resource"
  type        = map(string)
  default     = {}
}
