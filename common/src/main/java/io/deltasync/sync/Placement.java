package io.deltasync.sync;

import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.util.Objects;

/**
 * Where each table of a workspace lives in each region.
 *
 * <ul>
 *   <li>Primary and secondary tables: in embedded mode (a {@code local} workspace) the folders
 *       {@code <primary_dir>/<catalog>/<schema>/<table>} and {@code <secondary_dir>/...}; on
 *       Databricks the Unity Catalog names themselves.
 *   <li>Staging: {@code <sync_location_secondary>/<workspace>/<group>/<catalog>/<schema>/<table>}.
 *   <li>The ledger: {@code <sync_location_secondary>/_deltasync/ledger}.
 *   <li>The receiver's doorbell: {@code <sync_location_secondary>/_deltasync/arrivals}.
 * </ul>
 *
 * <p>A job resolves table names only in the region it runs in. In embedded mode a job's config is
 * confined to its region ({@link io.deltasync.config.LocalRegions#onlyPrimary()}), and asking for
 * the other region's table is an error; on Databricks the name resolves in the job's own
 * metastore, so each step must run in the region whose tables it reads or writes.
 */
public final class Placement {

  private final WorkspaceConfig workspace;

  private Placement(WorkspaceConfig workspace) {
    this.workspace = Objects.requireNonNull(workspace, "workspace");
  }

  public static Placement of(WorkspaceConfig workspace) {
    return new Placement(workspace);
  }

  /**
   * A table of the primary region.
   *
   * @throws io.deltasync.errors.SyncException when this job runs confined to the other region
   */
  public TableLocation primary(TableName table) {
    return workspace.local().<TableLocation>map(l -> {
      if (!l.primaryReachable()) {
        throw SyncErrors.tableInOtherRegion(workspace.name(), table, l.primaryDir());
      }
      return TableLocation.path(join(l.primaryDir(), table.relativePath()));
    }).orElseGet(() -> TableLocation.named(table));
  }

  /**
   * A registered table of the secondary region.
   *
   * @throws io.deltasync.errors.SyncException when this job runs confined to the other region
   */
  public TableLocation secondary(TableName table) {
    return workspace.local().<TableLocation>map(l -> {
      if (!l.secondaryReachable()) {
        throw SyncErrors.tableInOtherRegion(workspace.name(), table, l.secondaryDir());
      }
      return TableLocation.path(join(l.secondaryDir(), table.relativePath()));
    }).orElseGet(() -> TableLocation.named(table));
  }

  /** The staging copy of a group's table, in the secondary region. */
  public TableLocation.Path staging(SyncGroup group, TableName table) {
    return new TableLocation.Path(join(workspace.syncLocationSecondary(),
        workspace.name() + "/" + group.name() + "/" + table.relativePath()));
  }

  /** The ledger (the metadata table), in the secondary region. */
  public TableLocation.Path ledger() {
    return ledger(workspace.syncLocationSecondary());
  }

  /** The ledger under a sync location. */
  public static TableLocation.Path ledger(String syncLocationSecondary) {
    return new TableLocation.Path(join(syncLocationSecondary, "_deltasync/ledger"));
  }

  /** The folder the sender rings the receiver's doorbell in ({@link Doorbell}). */
  public TableLocation.Path arrivals() {
    return arrivals(workspace.syncLocationSecondary());
  }

  /** The doorbell folder under a sync location. */
  public static TableLocation.Path arrivals(String syncLocationSecondary) {
    return new TableLocation.Path(join(syncLocationSecondary, "_deltasync/arrivals"));
  }

  static String join(String base, String relative) {
    String trimmed = base;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed + "/" + relative;
  }
}
