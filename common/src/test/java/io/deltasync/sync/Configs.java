package io.deltasync.sync;

import io.deltasync.config.Credentials;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.table.TableName;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Embedded-mode configs built in code for tests. */
final class Configs {

  private Configs() {}

  static SyncGroup workflowGroup(String name, String workflow, String... tables) {
    return new SyncGroup("ws", name, "owner@example.com", Optional.of(workflow), mappings(tables));
  }

  static SyncGroup standaloneGroup(String name, String... tables) {
    return new SyncGroup("ws", name, "owner@example.com", Optional.empty(), mappings(tables));
  }

  static WorkspaceConfig workspace(String name, String root, int maxRetries, Duration interval,
      SyncGroup... groups) {
    return workspace(name, root, root, maxRetries, interval, groups);
  }

  /** As above, with the sync locations under {@code syncRoot} instead. */
  static WorkspaceConfig workspace(String name, String root, String syncRoot, int maxRetries,
      Duration interval, SyncGroup... groups) {
    return new WorkspaceConfig(name, URI.create("http://127.0.0.1:1"), Optional.empty(),
        new Credentials.Pat(new SecretRef("scope", "pat")), syncRoot + "/sync-primary",
        syncRoot + "/sync-secondary", interval, Duration.ofMinutes(10), Duration.ofMinutes(60),
        maxRetries, Optional.empty(), Optional.empty(), List.of(groups),
        Optional.of(new LocalRegions(root + "/primary", root + "/secondary")));
  }

  static DeltaSyncConfig config(WorkspaceConfig... workspaces) {
    return new DeltaSyncConfig("scope", List.of(workspaces), Optional.empty());
  }

  private static List<TableMapping> mappings(String... tables) {
    return Arrays.stream(tables).map(t -> TableMapping.sameName(TableName.parse(t))).toList();
  }
}
