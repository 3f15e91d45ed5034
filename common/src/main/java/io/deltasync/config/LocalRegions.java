package io.deltasync.config;

import java.util.Objects;

/**
 * Embedded mode: the two regions are local folders (or any Hadoop URI). A table
 * {@code c.s.t} lives at {@code <region>/c/s/t}; the primary's run log is at
 * {@code <primary>/_runs}.
 *
 * <p>A job runs in one region and resolves table names only there. A job's config is confined to
 * its region ({@link #onlyPrimary()}, {@link #onlySecondary()}): the other region's folder is then
 * unreachable, exactly as the other workspace's metastore is on Databricks. Both are reachable only
 * for an observer that is no job (a test's or the demo's checks).
 *
 * @param primaryReachable whether this process may resolve the primary region's tables
 * @param secondaryReachable whether this process may resolve the secondary region's tables
 * @param jobsApi {@code local.jobs_api}: the regions' jobs run in their workspaces
 *     ({@code ./deltasync workspace}, the local two-workspace simulation), so failback starts its
 *     halves there with run-now; false (the default): failback runs each half in this process.
 *     Either way failover and failback pause and unpause jobs through each workspace's Jobs API
 *     ({@code workspace_instance_url}, {@code secondary_workspace_instance_url})
 */
public record LocalRegions(String primaryDir, String secondaryDir, boolean primaryReachable,
    boolean secondaryReachable, boolean jobsApi) {

  public LocalRegions {
    Objects.requireNonNull(primaryDir, "primaryDir");
    Objects.requireNonNull(secondaryDir, "secondaryDir");
  }

  /** Both regions reachable: an observer's view, not a job's; failback's halves run in-process. */
  public LocalRegions(String primaryDir, String secondaryDir) {
    this(primaryDir, secondaryDir, true, true, false);
  }

  /** Both regions reachable (an observer's view); {@code jobsApi} as {@code local.jobs_api}. */
  public LocalRegions(String primaryDir, String secondaryDir, boolean jobsApi) {
    this(primaryDir, secondaryDir, true, true, jobsApi);
  }

  /**
   * The view of a job running in the primary region. A wall never comes down: confining a view
   * already confined to the secondary leaves nothing reachable.
   */
  public LocalRegions onlyPrimary() {
    return new LocalRegions(primaryDir, secondaryDir, primaryReachable, false, jobsApi);
  }

  /** The view of a job running in the secondary region (see {@link #onlyPrimary()}). */
  public LocalRegions onlySecondary() {
    return new LocalRegions(primaryDir, secondaryDir, false, secondaryReachable, jobsApi);
  }

  /** The regions with their roles swapped (failback's reverse direction); reachability moves along. */
  public LocalRegions swapped() {
    return new LocalRegions(secondaryDir, primaryDir, secondaryReachable, primaryReachable, jobsApi);
  }
}
