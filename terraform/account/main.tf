# deltasync's service principals, once for the account, each assigned to BOTH workspaces.
#
# An account-level service principal has one application id and one set of OAuth secrets that
# work against every workspace it is assigned to. That is what the region-true jobs need: the
# failover job runs in the secondary and pauses the primary's jobs through the primary's Jobs API;
# failback, from one region, runs jobs in the other through that workspace's Jobs API; and after
# a failover the sender and receiver run in the other region than before. A workspace-level
# principal (or a PAT) works only in the workspace that issued it.
#
#   sender:   runs the sender in the active region (the forward send, failback's reverse send)
#   receiver: runs the receiver in the passive region (and failback's receive in the primary)
#   dr:       runs failover and failback, and is the principal of the cross-workspace calls
#
# The region roots (../region_primary, ../region_secondary) grant each of them exactly what its
# jobs do there (docs/deploy.md, "Grant matrix"); apply this root first and pass its outputs.

locals {
  # Role -> display name. The keys are written here, so every for_each below is known at plan time.
  principals = {
    sender   = "deltasync-sender"
    receiver = "deltasync-receiver"
    dr       = "deltasync-dr"
  }

  workspaces = {
    primary   = var.primary_workspace_id
    secondary = var.secondary_workspace_id
  }

  # "primary/sender", "secondary/dr", ...: every role in every workspace
  assignments = {
    for pair in setproduct(keys(local.workspaces), keys(local.principals)) :
    "${pair[0]}/${pair[1]}" => { workspace = pair[0], role = pair[1] }
  }
}

resource "databricks_service_principal" "this" {
  for_each     = local.principals
  display_name = each.value
}

resource "databricks_mws_permission_assignment" "this" {
  for_each     = local.assignments
  workspace_id = local.workspaces[each.value.workspace]
  principal_id = databricks_service_principal.this[each.value.role].id
  permissions  = ["USER"]
}
