package io.deltasync.sync;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import java.util.List;
import java.util.Optional;

/** Which groups a cycle handles: all, or the one {@code --group} names. */
final class Selection {

  private Selection() {}

  static void requireKnown(DeltaSyncConfig config, Optional<String> group) {
    if (group.isPresent()
        && config.allGroups().stream().noneMatch(g -> g.name().equals(group.get()))) {
      throw SyncErrors.unknownGroup(group.get(),
          config.allGroups().stream().map(SyncGroup::name).toList());
    }
  }

  static List<SyncGroup> groups(WorkspaceConfig workspace, Optional<String> group) {
    return workspace.groups().stream()
        .filter(g -> group.isEmpty() || g.name().equals(group.get()))
        .toList();
  }
}
