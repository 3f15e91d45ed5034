package io.deltasync.sync;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.ledger.Region;

/**
 * A job's view of the config: it runs in one region and resolves table names only there. In
 * embedded mode the other region's folder becomes unreachable ({@link Placement} refuses its
 * tables), as the other workspace's metastore is on Databricks; a Databricks config is unchanged,
 * since there a name can only resolve in the job's own metastore.
 */
public final class RegionWalls {

  private RegionWalls() {}

  /** The config as a job running in {@code here} sees it. */
  public static DeltaSyncConfig confine(DeltaSyncConfig config, Region here) {
    return new DeltaSyncConfig(config.secretScope(),
        config.workspaces().stream().map(ws -> confine(ws, here)).toList(), config.notifications());
  }

  /** The workspace as a job running in {@code here} sees it. */
  public static WorkspaceConfig confine(WorkspaceConfig workspace, Region here) {
    return workspace.withLocal(workspace.local().map(l -> confine(l, here)));
  }

  private static LocalRegions confine(LocalRegions regions, Region here) {
    return here == Region.PRIMARY ? regions.onlyPrimary() : regions.onlySecondary();
  }
}
