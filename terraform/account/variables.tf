variable "account_id" {
  description = "Azure Databricks account id (account console, top right)"
  type        = string
}

variable "primary_workspace_id" {
  description = "Numeric id of the primary region's workspace"
  type        = string
}

variable "secondary_workspace_id" {
  description = "Numeric id of the secondary region's workspace"
  type        = string
}
