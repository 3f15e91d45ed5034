package io.deltasync.runtime;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.databricks.JobsApiRunSource;
import io.deltasync.databricks.UnityCatalogLedger;
import io.deltasync.failover.ReverseSync;
import io.deltasync.faults.Faults;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.local.LocalRunLog;
import io.deltasync.notify.Notifications;
import io.deltasync.runs.RunChoice;
import io.deltasync.runs.RunSelector;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.TableHistory;
import io.deltasync.runs.VersionResolver;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.spark.DeltaSyncLedger;
import io.deltasync.spark.HadoopDoorbell;
import io.deltasync.status.CycleProgress;
import io.deltasync.spark.LedgerMaintenance;
import io.deltasync.spark.SparkTableHistory;
import io.deltasync.spark.SparkTableIds;
import io.deltasync.spark.Sparks;
import io.deltasync.sync.CopyEstimator;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.NotifyingListener;
import io.deltasync.sync.Placement;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.RunChooser;
import io.deltasync.sync.Sender;
import io.deltasync.sync.Sleeper;
import io.deltasync.sync.TableVersions;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production wiring of the sender and the receiver: the runtime's Spark session and cloner,
 * the Jobs API (Databricks) or the local run log (embedded mode), the Delta ledger under each
 * workspace's {@code sync_location_secondary}, and the configured notifications.
 */
public final class SyncWiring {

  private static final Logger LOG = LoggerFactory.getLogger(SyncWiring.class);

  /** The system property that turns cycle progress on stderr on: {@code true} or absent. */
  public static final String PROGRESS_PROPERTY = "deltasync.progress";

  private SyncWiring() {}

  /** The sender of the runtime this JVM runs on. */
  public static Sender sender(DeltaSyncConfig config, SecretProvider secrets) {
    SparkSession spark = Sparks.session();
    TableCloner cloner = Cloners.forRuntime();
    return senderBuilder(spark, cloner, secrets)
        .listener(notifications(config, secrets))
        .build();
  }

  /** The sender's production parts, for callers that replace some (tests, the launcher). */
  public static Sender.Builder senderBuilder(
      SparkSession spark, TableCloner cloner, SecretProvider secrets) {
    return Sender.builder()
        .runSources(workspace -> runSource(workspace, secrets))
        .ledgers(ledgers(spark))
        .versions(versions(new SparkTableHistory(spark)))
        .cloner(cloner)
        .runChooser(selector())
        .estimator(alreadyCloned(cloner))
        .tableIds(new SparkTableIds(spark))
        .doorbell(new HadoopDoorbell(spark.sparkContext().hadoopConfiguration()));
  }

  /** The receiver of the runtime this JVM runs on. */
  public static Receiver receiver(DeltaSyncConfig config, SecretProvider secrets) {
    SparkSession spark = Sparks.session();
    return Receiver.create(ledgers(spark), Cloners.forRuntime(), Cloners.stagingCheck(),
        notifications(config, secrets));
  }

  /**
   * Failback's reverse send and receive on this runtime: the sender's production parts (the
   * reversed workspace's run source is the secondary's Jobs API or run log) and a receiver that
   * replaces the primary tables.
   */
  public static ReverseSync reverseSync(DeltaSyncConfig config, SecretProvider secrets) {
    SparkSession spark = Sparks.session();
    TableCloner cloner = Cloners.forRuntime();
    GroupListener listener = notifications(config, secrets);
    Receiver receiver = new Receiver(ledgers(spark), cloner, Clock.systemUTC(), Sleeper.system(),
        new Random(), Duration.ofSeconds(2), CloneOptions.defaults().withForce(true), listener,
        Faults.NONE, Cloners.stagingCheck());
    return new ReverseSync(senderBuilder(spark, cloner, secrets).listener(listener), receiver,
        ledgers(spark));
  }

  /**
   * The ledger upkeep after a sender cycle, for every workspace (never throws): compaction and
   * VACUUM at most {@code every}, staging files kept at least {@code stagingRetention}.
   */
  public static void maintainLedgers(DeltaSyncConfig config, Duration every,
      Duration stagingRetention) {
    LedgerMaintenance maintenance = new LedgerMaintenance(Sparks.session(), Clock.systemUTC(),
        new LedgerMaintenance.Settings(every, stagingRetention));
    config.workspaces().forEach(maintenance::run);
  }

  /**
   * Each workspace's ledger: {@code <sync_location_secondary>/_deltasync/ledger}; on Databricks,
   * registered in Unity Catalog when the workspace sets {@code ledger_catalog}.
   */
  public static Function<WorkspaceConfig, SyncLedger> ledgers(SparkSession spark) {
    return workspace -> {
      SyncLedger ledger = new DeltaSyncLedger(spark, Placement.of(workspace).ledger().uri());
      if (Sparks.onDatabricks() && workspace.ledgerCatalog().isPresent()) {
        return new UnityCatalogLedger(spark, ledger, workspace.ledgerCatalog().get());
      }
      return ledger;
    };
  }

  /** The local run log in embedded mode, the Jobs API otherwise. */
  public static RunSource runSource(WorkspaceConfig workspace, SecretProvider secrets) {
    if (workspace.local().isPresent()) {
      return LocalRunLog.forPrimary(workspace.local().get());
    }
    return JobsApiRunSource.connect(workspace.url(), workspace.credentials(), secrets);
  }

  /** Pins each table with {@link VersionResolver} over the table's history. */
  public static TableVersions versions(TableHistory history) {
    return (table, run) ->
        VersionResolver.resolve(table.toString(), history.commits(table), run).version();
  }

  /** {@link RunSelector}, reporting runs that overlap the chosen one. */
  public static RunChooser selector() {
    return (workflow, runs) -> {
      RunChoice choice = RunSelector.choose(runs);
      if (choice.hasOverlap()) {
        LOG.warn("Workflow {}: run {} overlaps in time with run(s) {}; its end state may include"
                + " their commits up to its end", workflow,
            choice.chosen().map(WorkflowRun::runId).orElse(-1L),
            choice.overlapping().stream().map(r -> Long.toString(r.runId()))
                .collect(Collectors.joining(", ")));
      }
      if (choice.skippedFailedRuns() > 0) {
        LOG.info("Workflow {}: {} newer run(s) failed or were canceled and are not synced",
            workflow, choice.skippedFailedRuns());
      }
      return choice.chosen();
    };
  }

  /**
   * Dry-run estimate: 0 bytes when staging already holds the version as a clone of the source,
   * unknown otherwise (the exact figure needs the file listing of both snapshots).
   */
  public static CopyEstimator alreadyCloned(TableCloner cloner) {
    return (source, version, target) -> {
      OptionalLong held = cloner.clonedVersion(source, target);
      return held.isPresent() && held.getAsLong() == version ? OptionalLong.of(0) : OptionalLong.empty();
    };
  }

  /**
   * The configured notifications of each workspace, as a group listener; with cycle progress on
   * stderr when {@value #PROGRESS_PROPERTY} is {@code true} (the launcher at a terminal).
   */
  public static GroupListener notifications(DeltaSyncConfig config, SecretProvider secrets) {
    GroupListener notify = config.notifications().isEmpty() ? GroupListener.none()
        : new NotifyingListener(Notifications.byWorkspace(config, secrets));
    if (!Boolean.getBoolean(PROGRESS_PROPERTY)) {
      return notify;
    }
    CycleProgress progress = new CycleProgress(System.err, config.allGroups().size());
    return outcome -> {
      progress.groupFinished(outcome);
      notify.groupFinished(outcome);
    };
  }

}
