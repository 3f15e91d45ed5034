package io.deltasync.sync;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.errors.SyncException;
import io.deltasync.table.TableLocation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Tables in memory: each location holds one content string per version. Cloning appends the
 * source version's content to the target unless the target's latest already equals it (then it
 * copies and commits nothing, as the contract says). Failures can be queued per location.
 */
final class FakeCloner implements TableCloner {

  private final Map<String, List<String>> tables = new HashMap<>();
  private final Map<String, Deque<RuntimeException>> failures = new HashMap<>();
  private final Map<String, String> clonedFrom = new HashMap<>();
  final List<String> calls = new ArrayList<>();

  /** Commits a new version of a table; returns the version. */
  synchronized long commit(TableLocation table, String content) {
    List<String> versions = tables.computeIfAbsent(table.toString(), k -> new ArrayList<>());
    versions.add(content);
    return versions.size() - 1;
  }

  synchronized String content(TableLocation table, long version) {
    return tables.get(table.toString()).get((int) version);
  }

  synchronized List<String> versions(TableLocation table) {
    return List.copyOf(tables.getOrDefault(table.toString(), List.of()));
  }

  /** The next clone reading or writing {@code table} throws {@code error}. */
  synchronized FakeCloner failNext(TableLocation table, RuntimeException error) {
    failures.computeIfAbsent(table.toString(), k -> new ArrayDeque<>()).add(error);
    return this;
  }

  @Override
  public synchronized CloneResult clone(
      TableLocation source, long version, TableLocation target, CloneOptions options) {
    calls.add(source + "@" + version + "->" + target);
    for (TableLocation table : List.of(source, target)) {
      Deque<RuntimeException> queued = failures.get(table.toString());
      if (queued != null && !queued.isEmpty()) {
        throw queued.poll();
      }
    }
    List<String> from = tables.get(source.toString());
    if (from == null || version >= from.size()) {
      throw new SyncException(SyncException.Kind.FATAL,
          "table " + source + " has no version " + version);
    }
    String content = from.get((int) version);
    clonedFrom.put(target.toString(), source + "@" + version);
    List<String> to = tables.computeIfAbsent(target.toString(), k -> new ArrayList<>());
    long size = content.length();
    if (!to.isEmpty() && to.get(to.size() - 1).equals(content)) {
      return new CloneResult(size, 1, 0, 0, 0, 0, version, OptionalLong.empty(), Duration.ZERO);
    }
    to.add(content);
    return new CloneResult(size, 1, to.size() > 1 ? 1 : 0, 1, 0, size, version,
        OptionalLong.of(to.size() - 1), Duration.ZERO);
  }

  @Override
  public synchronized OptionalLong clonedVersion(TableLocation source, TableLocation target) {
    String origin = clonedFrom.get(target.toString());
    if (origin == null || !origin.startsWith(source + "@")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(origin.substring(origin.lastIndexOf('@') + 1)));
  }

  @Override
  public synchronized long latestVersion(TableLocation table) {
    List<String> versions = tables.get(table.toString());
    if (versions == null) {
      throw new SyncException(SyncException.Kind.FATAL, "no table at " + table);
    }
    return versions.size() - 1;
  }
}
