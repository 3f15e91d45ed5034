package io.deltasync.failover;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import java.util.Optional;

/**
 * The config with the regions' roles swapped, for failback: the secondary is the source, the
 * primary the target, and {@code sync_location_primary} the staging area (with the reverse ledger
 * under it). The sender and receiver run on it unchanged.
 */
public final class Roles {

  private Roles() {}

  public static DeltaSyncConfig reversed(DeltaSyncConfig config) {
    return new DeltaSyncConfig(config.secretScope(),
        config.workspaces().stream().map(Roles::reversed).toList(), config.notifications());
  }

  public static WorkspaceConfig reversed(WorkspaceConfig ws) {
    if (!ws.embedded() && ws.secondaryUrl().isEmpty()) {
      throw SyncErrors.secondaryUrlMissing(ws.name(), "failback");
    }
    // The workspaces swap roles, and each keeps its own credentials.
    return new WorkspaceConfig(ws.name(), ws.secondaryUrl().orElse(ws.url()), Optional.of(ws.url()),
        ws.secondaryWorkspaceCredentials(), Optional.of(ws.primaryWorkspaceCredentials()),
        ws.syncLocationSecondary(), ws.syncLocationPrimary(), ws.syncInterval(),
        ws.failoverInterval(), ws.failoverDeadline(), ws.maxRetries(), ws.failureNotification(),
        ws.successNotification(), ws.groups().stream().map(Roles::reversed).toList(),
        ws.local().map(LocalRegions::swapped), ws.lagAlert());
  }

  private static SyncGroup reversed(SyncGroup group) {
    return new SyncGroup(group.workspace(), group.name(), group.ownerEmail(), group.workflow(),
        group.tables().stream().map(t -> new TableMapping(t.secondary(), t.source())).toList(),
        group.lagAlert());
  }
}
