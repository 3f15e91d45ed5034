variable "name" {
  description = "External location name, the same in both regions"
  type        = string
}

variable "url" {
  description = "abfss:// URL of the sync location"
  type        = string
}

variable "credential_name" {
  type = string
}

variable "skip_validation" {
  description = "true only for the peer region's location, whose account another root creates"
  type        = bool
}

variable "comment" {
  type    = string
  default = "deltasync sync location"
}
