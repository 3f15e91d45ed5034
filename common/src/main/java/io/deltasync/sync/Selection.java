package io.deltasync.sync;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import java.util.List;
import java.util.Optional;

/** Which groups a cycle handles: all, or those {@code --group} names. */
public final class Selection {

  private Selection() {}

  /**
   * The config with only the named groups (all when {@code names} is empty).
   *
   * @throws io.deltasync.errors.SyncException naming a group the config does not have
   */
  public static DeltaSyncConfig only(DeltaSyncConfig config, List<String> given) {
    // A job passes its groups parameter as is: an empty one means every group.
    List<String> names = given.stream().map(String::strip).filter(n -> !n.isEmpty()).toList();
    if (names.isEmpty()) {
      return config;
    }
    for (String name : names) {
      requireKnown(config, Optional.of(name));
    }
    return new DeltaSyncConfig(config.secretScope(), config.workspaces().stream()
        .map(ws -> ws.withGroups(ws.groups().stream().filter(g -> names.contains(g.name()))
            .toList()))
        .toList(), config.notifications());
  }

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
