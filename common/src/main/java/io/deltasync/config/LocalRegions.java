package io.deltasync.config;

/**
 * Embedded mode: the two regions are local folders (or any Hadoop URI). A table
 * {@code c.s.t} lives at {@code <region>/c/s/t}; the primary's run log is at
 * {@code <primary>/_runs}.
 *
 * @param primaryDir {@code local.primary_dir}
 * @param secondaryDir {@code local.secondary_dir}
 * @param jobsApi {@code local.jobs_api}: the regions' jobs are switched through each workspace's
 *     Jobs API ({@code workspace_instance_url}, {@code secondary_workspace_instance_url}), as in
 *     the local two-workspace simulation; false (the default): through schedule files in the
 *     region folders
 */
public record LocalRegions(String primaryDir, String secondaryDir, boolean jobsApi) {

  /** Regions whose jobs are switched through schedule files. */
  public LocalRegions(String primaryDir, String secondaryDir) {
    this(primaryDir, secondaryDir, false);
  }
}
