variable "sender_name" {
  type    = string
  default = "deltasync-sender"
}

variable "receiver_name" {
  type    = string
  default = "deltasync-receiver"
}

variable "catalog" {
  description = "Catalog of the synced tables (the same name in both regions)"
  type        = string
}

variable "own_sync_location" {
  description = "External location name of this region's sync location"
  type        = string
}

variable "peer_sync_location" {
  description = "External location name of the other region's sync location"
  type        = string
}

variable "secret_scope" {
  description = "Secret scope of the Jobs API credentials (secret_scope in the config)"
  type        = string
}
