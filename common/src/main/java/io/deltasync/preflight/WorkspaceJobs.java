package io.deltasync.preflight;

import java.util.List;

/**
 * One workspace's Jobs API as deltasync's configured principal of that workspace sees it: the
 * Jobs API through the SDK on Databricks ({@code databricks.SdkWorkspaceJobs}).
 *
 * <p>Read-only: nothing here changes a job. Every method throws
 * {@link io.deltasync.errors.SyncException} when the workspace does not answer or refuses the
 * principal (401, 403), with the workspace's answer in the message and never a credential.
 */
public interface WorkspaceJobs {

  /** The workspace, for report lines: its name and URL. */
  String workspace();

  /** Who the configured principal is in this workspace (its user or application id). */
  String caller();

  /** Every job the principal can see with exactly this name, with its permission on each. */
  List<JobFacts> jobs(String name);
}
