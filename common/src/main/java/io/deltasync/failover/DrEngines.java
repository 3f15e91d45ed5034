package io.deltasync.failover;

import io.deltasync.clone.Cloners;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.runs.JobsApiRunSource;
import io.deltasync.runs.LocalRunLog;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.SparkTableHistory;
import io.deltasync.runs.WorkspaceClients;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.secrets.SecretProviders;
import io.deltasync.spark.Sparks;
import io.deltasync.sync.SyncWiring;
import io.deltasync.sync.TableVersions;
import java.net.URI;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The production parts failover and failback run with: on Databricks the Jobs API through the SDK
 * in both workspaces, locally (a workspace with a {@code local} object) schedule-state files and
 * run logs in the region folders; Delta ledgers, the runtime's cloner and the version rule on the
 * tables' history everywhere.
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
        .clock(clock);
  }

  public Failback.Builder failback() {
    return Failback.builder()
        .primaryJobs(this::primaryJobs)
        .secondaryJobs(ws -> secondaryJobs(ws, "failback"))
        .ledgers(DrEngines::ledger)
        .secondaryRuns(this::secondaryRuns)
        .versions(versions())
        .tableIds(new io.deltasync.table.SparkTableIds(Sparks.session()))
        .cloner(cloner())
        .clock(clock);
  }

  JobsControl primaryJobs(WorkspaceConfig ws) {
    if (ws.embedded()) {
      return new LocalJobsControl(ws.name() + " primary (local)", ws.local().get().primaryDir(),
          clock);
    }
    return sdk(ws.name() + " primary " + ws.url(), ws, ws.url());
  }

  JobsControl secondaryJobs(WorkspaceConfig ws, String command) {
    if (ws.embedded()) {
      return new LocalJobsControl(ws.name() + " secondary (local)",
          ws.local().get().secondaryDir(), clock);
    }
    URI url = ws.secondaryUrl().orElseThrow(() -> SyncErrors.secondaryUrlMissing(ws.name(), command));
    return sdk(ws.name() + " secondary " + url, ws, url);
  }

  private JobsControl sdk(String name, WorkspaceConfig ws, URI url) {
    // Connecting may itself need the workspace: done lazily so a region that is down reads as
    // "did not answer" (retried until the deadline), never as a crash.
    return new SdkJobsControl(name,
        () -> WorkspaceClients.connect(url, ws.credentials(), secrets.get()).jobs());
  }

  RunSource primaryRuns(WorkspaceConfig ws) {
    if (ws.embedded()) {
      return new LocalRunLog(ws.local().get().primaryDir());
    }
    // Asked lazily, inside the RPO computation: a primary that is down is reported, not fatal.
    return (workflow, notBefore) ->
        JobsApiRunSource.connect(ws.url(), ws.credentials(), secrets.get()).runs(workflow, notBefore);
  }

  RunSource secondaryRuns(WorkspaceConfig ws) {
    if (ws.embedded()) {
      return new LocalRunLog(ws.local().get().secondaryDir());
    }
    URI url = ws.secondaryUrl().orElseThrow(() -> SyncErrors.secondaryUrlMissing(ws.name(),
        "failback"));
    return JobsApiRunSource.connect(url, ws.credentials(), secrets.get());
  }

  /** The ledger under the workspace's {@code sync_location_secondary}, as the sync uses it. */
  static SyncLedger ledger(WorkspaceConfig ws) {
    return SyncWiring.ledgers(Sparks.session()).apply(ws);
  }

  static TableCloner cloner() {
    return Cloners.forRuntime();
  }

  static TableVersions versions() {
    return SyncWiring.versions(new SparkTableHistory(Sparks.session()));
  }
}
