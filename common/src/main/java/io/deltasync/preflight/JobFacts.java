package io.deltasync.preflight;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A job as one workspace's Jobs API shows it to deltasync's principal there.
 *
 * @param id the job id
 * @param name the job name
 * @param callerPermission the highest permission the principal holds on it (directly or through a
 *     group it belongs to); workspace admins hold {@link JobPermissionLevel#IS_OWNER}
 * @param settings the settings that must match across workspaces (tasks, parameters, libraries),
 *     flattened to {@code path -> value}, e.g. {@code tasks[send].spark_jar_task.main_class_name}
 */
public record JobFacts(long id, String name, JobPermissionLevel callerPermission,
    SortedMap<String, String> settings) {

  public JobFacts {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(callerPermission, "callerPermission");
    settings = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(settings));
  }

  public JobFacts(long id, String name, JobPermissionLevel callerPermission,
      Map<String, String> settings) {
    this(id, name, callerPermission, new TreeMap<>(settings));
  }
}
