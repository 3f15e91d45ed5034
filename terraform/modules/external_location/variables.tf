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

variable "comment" {
  type    = string
  default = "deltasync sync location"
}
