package io.deltasync.runtime;

import com.databricks.sdk.WorkspaceClient;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.databricks.JobsApiRunSource;
import io.deltasync.databricks.SdkJobsControl;
import io.deltasync.databricks.WorkspaceClients;
import io.deltasync.errors.SyncErrors;
import io.deltasync.failover.Failback;
import io.deltasync.failover.Failover;
import io.deltasync.failover.JobRunSteps;
import io.deltasync.failover.KeepPrimaryDrill;
import io.deltasync.jobs.JobNames;
import io.deltasync.jobs.JobsControl;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runs.RunSource;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.spark.SparkTableHistory;
import io.deltasync.spark.SparkTableIds;
import io.deltasync.spark.Sparks;
import io.deltasync.sync.Sleeper;
import io.deltasync.sync.TableVersions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The production parts failover and failback run with: on Databricks the Jobs API through the SDK
 * in both workspaces, each reached with its own credentials ({@code workspace_pat_key} or
 * {@code workspace_client_*_key} for the primary, {@code secondary_workspace_*_key} for the
 * secondary, which falls back to the primary's when not set). Embedded (a workspace with a
 * {@code local} object), jobs are switched the same way, through the Jobs APIs of the local
 * workspaces ({@code ./deltasync workspace}); runs come from the run logs in the region folders.
 * Delta ledgers, the runtime's cloner and the version rule on the tables' history everywhere.
 */
public final class DrEngines {

  private final Clock clock;
  private final Supplier<SecretProvider> secrets;

  public DrEngines(Clock clock, Supplier<SecretProvider> secrets) {
    this.clock = clock;
    this.secrets = secrets;
  }

  /** The runtime's engines: dbutils secrets on Databricks, the environment locally. */
  public static DrEngines forRuntime() {
    return new DrEngines(Clock.systemUTC(), SecretProviders::forRuntime);
  }

  public Failover.Builder failover() {
    return Failover.builder()
        .primaryJobs(this::primaryJobs)
        .secondaryJobs(ws -> secondaryJobs(ws, "failover"))
        .ledgers(DrEngines::ledger)
        .primaryRuns(this::primaryRuns)
        .cloner(cloner())
        .restorer(Cloners.restorer())
        .stagingCheck(io.deltasync.runtime.Cloners.stagingCheck())
        .clock(clock);
  }

  /** The keep-primary drill: in the secondary, through its Jobs API and the primary's runs. */
  public KeepPrimaryDrill.Builder keepPrimaryDrill() {
    return KeepPrimaryDrill.builder()
        .secondaryJobs(ws -> secondaryJobs(ws, "drill --keep-primary"))
        .ledgers(DrEngines::ledger)
        .primaryRuns(this::primaryRuns)
        .cloner(cloner())
        .restorer(Cloners.restorer())
        .clock(clock);
  }

  public Failback.Builder failback() {
    return Failback.builder()
        .primaryJobs(this::primaryJobs)
        .secondaryJobs(ws -> secondaryJobs(ws, "failback"))
        .ledgers(DrEngines::ledger)
        .secondaryRuns(this::secondaryRuns)
        .versions(versions())
        .tableIds(new SparkTableIds(Sparks.session()))
        .cloner(cloner())
        .clock(clock);
  }

  /**
   * Failback for {@code config}: its reverse send and receive are jobs of their regions, started
   * through each workspace's Jobs API, unless every workspace is embedded without
   * {@code local.jobs_api} (no workspace runs the jobs), where this process runs each half
   * confined to its region.
   */
  public Failback.Builder failback(DeltaSyncConfig config) {
    Failback.Builder builder = failback();
    if (config.workspaces().stream().allMatch(WorkspaceConfig::halvesInProcess)) {
      return builder;
    }
    return builder.steps(new JobRunSteps(this::primaryJobs, ws -> secondaryJobs(ws, "failback"),
        JobNames.defaults(), clock, Sleeper.system(), Duration.ofSeconds(10),
        Duration.ofHours(2)));
  }

  public JobsControl primaryJobs(WorkspaceConfig ws) {
    return sdk(ws.name() + " primary " + ws.url(),
        () -> WorkspaceClients.primary(ws, secrets.get()));
  }

  public JobsControl secondaryJobs(WorkspaceConfig ws, String command) {
    URI url = ws.secondaryUrl().orElseThrow(() -> ws.embedded()
        ? SyncErrors.embeddedJobsApiMissing(ws.name(), command)
        : SyncErrors.secondaryUrlMissing(ws.name(), command));
    return sdk(ws.name() + " secondary " + url,
        () -> WorkspaceClients.secondary(ws, secrets.get(), command));
  }

  private static JobsControl sdk(String name, Supplier<WorkspaceClient> client) {
    // Connecting may itself need the workspace: done lazily so a region that is down reads as
    // "did not answer" (retried until the deadline), never as a crash.
    return new SdkJobsControl(name, () -> client.get().jobs());
  }

  public RunSource primaryRuns(WorkspaceConfig ws) {
    if (ws.embedded()) {
      return new LocalRunLog(ws.local().get().primaryDir());
    }
    // Asked lazily, inside the RPO computation: a primary that is down is reported, not fatal.
    return (workflow, notBefore) ->
        JobsApiRunSource.connect(ws.url(), ws.primaryWorkspaceCredentials(), secrets.get())
            .runs(workflow, notBefore);
  }

  public RunSource secondaryRuns(WorkspaceConfig ws) {
    if (ws.embedded()) {
      return new LocalRunLog(ws.local().get().secondaryDir());
    }
    URI url = ws.secondaryUrl().orElseThrow(() -> SyncErrors.secondaryUrlMissing(ws.name(),
        "failback"));
    return JobsApiRunSource.connect(url, ws.secondaryWorkspaceCredentials(), secrets.get());
  }

  /** The ledger under the workspace's {@code sync_location_secondary}, as the sync uses it. */
  public static SyncLedger ledger(WorkspaceConfig ws) {
    return SyncWiring.ledgers(Sparks.session()).apply(ws);
  }

  public static TableCloner cloner() {
    return Cloners.forRuntime();
  }

  public static TableVersions versions() {
    return SyncWiring.versions(new SparkTableHistory(Sparks.session()));
  }
}
