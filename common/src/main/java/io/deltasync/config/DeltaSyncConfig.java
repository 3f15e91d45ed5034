package io.deltasync.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole deltasync configuration: the typed, immutable model every part of the engine reads.
 * Built by {@link ConfigLoader} from seed 004's JSON or from HOCON, and validated whole.
 *
 * @param secretScope the default secret scope for every secret the config names
 * @param workspaces the primary workspaces whose groups are synced
 * @param notifications how to reach people; empty when nothing but logs is wanted
 */
public record DeltaSyncConfig(
    String secretScope, List<WorkspaceConfig> workspaces, Optional<NotificationConfig> notifications) {

  public DeltaSyncConfig {
    workspaces = List.copyOf(workspaces);
  }

  /** Every group of every workspace, in config order. */
  public List<SyncGroup> allGroups() {
    return workspaces.stream().flatMap(w -> w.groups().stream()).toList();
  }
}
