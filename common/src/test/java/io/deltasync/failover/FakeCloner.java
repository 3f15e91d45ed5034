package io.deltasync.failover;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.errors.SyncException;
import io.deltasync.table.TableLocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Tables as lists of versions whose content is a label; a clone appends the source's label at the
 * asked version to the target. Failure injection: {@link #failInto}.
 */
final class FakeCloner implements TableCloner {

  /** location -> content of version 0, 1, ... */
  final Map<String, List<String>> tables = new HashMap<>();
  private final Set<String> failingTargets = new HashSet<>();

  FakeCloner table(String location, String... versions) {
    tables.put(location, new ArrayList<>(List.of(versions)));
    return this;
  }

  FakeCloner failInto(String target) {
    failingTargets.add(target);
    return this;
  }

  String latest(String location) {
    List<String> versions = tables.get(location);
    return versions == null ? null : versions.get(versions.size() - 1);
  }

  @Override
  public CloneResult clone(TableLocation source, long version, TableLocation target,
      CloneOptions options) {
    List<String> from = tables.get(source.toString());
    if (from == null || version >= from.size()) {
      throw new SyncException(SyncException.Kind.FATAL, "no version " + version + " of " + source);
    }
    if (failingTargets.contains(target.toString())) {
      throw new SyncException(SyncException.Kind.FATAL, "injected failure writing " + target);
    }
    List<String> into = tables.computeIfAbsent(target.toString(), t -> new ArrayList<>());
    String content = from.get((int) version);
    if (!into.isEmpty() && into.get(into.size() - 1).equals(content)) {
      return new CloneResult(1, 1, 0, 0, 0, 0, version, OptionalLong.empty(), Duration.ZERO);
    }
    into.add(content);
    return new CloneResult(1, 1, 0, 1, 0, 1, version, OptionalLong.of(into.size() - 1),
        Duration.ZERO);
  }

  @Override
  public long latestVersion(TableLocation table) {
    List<String> versions = tables.get(table.toString());
    if (versions == null) {
      throw new SyncException(SyncException.Kind.FATAL, table + " is not a Delta table");
    }
    return versions.size() - 1;
  }

  @Override
  public OptionalLong clonedVersion(TableLocation source, TableLocation target) {
    return OptionalLong.empty();
  }
}
