package io.deltasync.config;

import io.deltasync.table.TableName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A set of tables synced as one atomic unit: the tables a workflow writes, or standalone tables.
 *
 * @param workspace the name of the workspace the group belongs to
 * @param name {@code group_name}, unique across the config
 * @param ownerEmail {@code group_owner_email}
 * @param workflow {@code workflow}: the Databricks job name; empty for standalone tables
 * @param tables {@code tables}, in config order
 * @param lagAlert {@code lag_alert_mins} of the group; empty: the workspace's
 *     ({@link WorkspaceConfig#lagAlert(SyncGroup)})
 */
public record SyncGroup(
    String workspace, String name, String ownerEmail, Optional<String> workflow, List<TableMapping> tables,
    Optional<Duration> lagAlert) {

  public SyncGroup {
    tables = List.copyOf(tables);
    Objects.requireNonNull(lagAlert, "lagAlert");
    lagAlert.ifPresent(d -> {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("lagAlert must be positive, got " + d);
      }
    });
  }

  /** As the canonical constructor, without a lag alert threshold of its own. */
  public SyncGroup(String workspace, String name, String ownerEmail, Optional<String> workflow,
      List<TableMapping> tables) {
    this(workspace, name, ownerEmail, workflow, tables, Optional.empty());
  }

  public boolean standalone() {
    return workflow.isEmpty();
  }

  /**
   * The secondary table the group maps {@code source} to; empty when the config no longer lists
   * {@code source} (callers then take the name the ledger recorded).
   */
  public Optional<TableName> secondaryOf(TableName source) {
    return tables.stream().filter(m -> m.source().equals(source)).map(TableMapping::secondary)
        .findFirst();
  }
}
