package io.deltasync.config;

import java.util.List;
import java.util.Optional;

/**
 * A set of tables synced as one atomic unit: the tables a workflow writes, or standalone tables.
 *
 * @param workspace the name of the workspace the group belongs to
 * @param name {@code group_name}, unique across the config
 * @param ownerEmail {@code group_owner_email}
 * @param workflow {@code workflow}: the Databricks job name; empty for standalone tables
 * @param tables {@code tables}, in config order
 */
public record SyncGroup(
    String workspace, String name, String ownerEmail, Optional<String> workflow, List<TableMapping> tables) {

  public SyncGroup {
    tables = List.copyOf(tables);
  }

  public boolean standalone() {
    return workflow.isEmpty();
  }
}
