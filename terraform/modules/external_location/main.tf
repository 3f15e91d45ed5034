# One deltasync sync location as a Unity Catalog external location. Both regions declare the same
# two (primary_sync and secondary_sync), so either side can send or receive after a failover.
#
# skip_validation: a region validates its own sync location, whose account and container it has
# just created (the url comes from that root's storage outputs, so Terraform orders them). The
# peer's location lives on an account the other root creates, which may not exist yet on the
# first pass: the caller sets skip_validation = true for that one only (docs/deploy.md).

resource "databricks_external_location" "this" {
  name            = var.name
  url             = var.url
  credential_name = var.credential_name
  comment         = var.comment
  skip_validation = var.skip_validation
}
