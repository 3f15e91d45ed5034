package io.deltasync.spark;

import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.SyncPoint;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.sync.Placement;
import java.io.FileNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's upkeep, run by the sender job after its cycle. Every run: the ledger's change feed
 * is switched on (once) and the copy of its current rows refreshed ({@link
 * DeltaSyncLedger#writeCurrent}), so that readers read only the commits of about one cycle. At
 * most once per {@link Settings#every}: an OPTIMIZE of the ledger (its one-commit-per-sync-point
 * files compacted; Delta writes checkpoints every 10 commits by itself) and a VACUUM of each staging
 * table and of the copy.
 *
 * <p>The VACUUM of a staging table keeps every file a sync point still needs: the staging
 * versions of the group's last applied sync point (failover's recovery point reads it) and of
 * every sync point staged after it (the receiver may still apply them). Delta keeps the files of
 * its newest version and every file removed less than the retention ago; the retention is
 * therefore raised, per table, to the age of the oldest needed version's commit plus {@link
 * Settings#margin} (the writer's and this machine's clocks may differ), so no file removed after
 * that commit can go. A table whose needed version's commit cannot be dated is not vacuumed.
 *
 * <p>Best effort: every failure is logged (WARN) and the sync's result never depends on it.
 */
public final class LedgerMaintenance {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerMaintenance.class);

  /**
   * How often and how carefully.
   *
   * @param every the least time between two compactions (and vacuums)
   * @param stagingRetention the least age of a staging file VACUUM may delete (Delta refuses
   *     under 7 days unless {@code spark.databricks.delta.retentionDurationCheck.enabled} is false)
   * @param margin added to the age of a needed version's commit
   */
  public record Settings(Duration every, Duration stagingRetention, Duration margin) {
    public Settings {
      Objects.requireNonNull(every, "every");
      Objects.requireNonNull(stagingRetention, "stagingRetention");
      Objects.requireNonNull(margin, "margin");
      if (every.isNegative() || stagingRetention.isNegative() || margin.isNegative()) {
        throw new IllegalArgumentException("maintenance durations must not be negative, got "
            + every + ", " + stagingRetention + " and " + margin);
      }
    }

    /** Every {@code every}, staging files kept {@code stagingRetention}, a margin of an hour. */
    public Settings(Duration every, Duration stagingRetention) {
      this(every, stagingRetention, Duration.ofHours(1));
    }
  }

  /**
   * What one run did for a workspace.
   *
   * @param workspace the workspace
   * @param ledgerVersion the ledger version the copy of the current rows reflects (-1: none)
   * @param optimized true when the ledger was compacted
   * @param vacuumed the staging tables vacuumed, with the retention used (hours)
   * @param problems what failed (already logged)
   */
  public record Report(String workspace, long ledgerVersion, boolean optimized,
      Map<String, Double> vacuumed, List<String> problems) {
    public Report {
      vacuumed = Map.copyOf(vacuumed);
      problems = List.copyOf(problems);
    }
  }

  private final SparkSession spark;
  private final Clock clock;
  private final Settings settings;

  public LedgerMaintenance(SparkSession spark, Clock clock, Settings settings) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Maintains {@code ws}'s ledger and staging tables. Never throws. */
  public Report run(WorkspaceConfig ws) {
    Placement placement = Placement.of(ws);
    DeltaSyncLedger ledger = new DeltaSyncLedger(spark, placement.ledger().uri());
    List<String> problems = new ArrayList<>();
    java.util.LinkedHashMap<String, Double> vacuumed = new java.util.LinkedHashMap<>();
    boolean optimized = false;
    long version = -1;
    try {
      if (!io.delta.tables.DeltaTable.isDeltaTable(spark, ledger.location())) {
        return new Report(ws.name(), -1, false, Map.of(), List.of());
      }
      enableChangeFeed(ledger);
      DeltaSyncLedger.Current current = ledger.currentRows();
      version = current.version();
      Instant now = clock.instant();
      boolean due = current.optimizedAt().map(at -> !at.plus(settings.every()).isAfter(now))
          .orElse(true);
      if (due) {
        long started = System.nanoTime();
        io.delta.tables.DeltaTable.forPath(spark, ledger.location()).optimize()
            .executeCompaction();
        optimized = true;
        current = current.optimized(now);
        LOG.info("Ledger maintenance {}: ledger {} compacted in {} ms (next not before {})",
            ws.name(), ledger.location(), (System.nanoTime() - started) / 1_000_000,
            now.plus(settings.every()));
        vacuumStaging(ws, placement, ledger.current(ws.name()), vacuumed, problems);
        try {
          if (io.delta.tables.DeltaTable.isDeltaTable(spark, ledger.currentLocation())) {
            io.delta.tables.DeltaTable.forPath(spark, ledger.currentLocation())
                .vacuum(hours(settings.stagingRetention()));
          }
        } catch (Exception e) {
          String why = "VACUUM of " + ledger.currentLocation() + ": " + SyncErrors.describe(e);
          problems.add(why);
          LOG.warn("Ledger maintenance {}: {}", ws.name(), why);
        }
      }
      ledger.writeCurrent(current);
      LOG.info("Ledger maintenance {}: current rows of ledger version {} copied to {} ({} rows)",
          ws.name(), current.version(), ledger.currentLocation(), current.rows().size());
    } catch (Exception e) {
      // Not only RuntimeException: Delta (Scala) throws the file system's IOException unchecked.
      String why = SyncErrors.describe(e);
      problems.add(why);
      LOG.warn("Ledger maintenance {}: {} (the sync is not affected)", ws.name(), why);
    }
    return new Report(ws.name(), version, optimized, vacuumed, problems);
  }

  private void enableChangeFeed(DeltaSyncLedger ledger) {
    Map<String, String> properties = io.delta.tables.DeltaTable.forPath(spark, ledger.location())
        .detail().select("properties").head().getJavaMap(0);
    if (!"true".equals(properties.get("delta.enableChangeDataFeed"))) {
      spark.sql("ALTER TABLE delta.`" + ledger.location()
          + "` SET TBLPROPERTIES (delta.enableChangeDataFeed = true)");
      LOG.info("Ledger maintenance: change data feed enabled on the ledger {}", ledger.location());
    }
  }

  private void vacuumStaging(WorkspaceConfig ws, Placement placement, LedgerState state,
      Map<String, Double> vacuumed, List<String> problems) {
    for (SyncGroup group : ws.groups()) {
      List<SyncPoint> needed = needed(state, ws.name(), group.name());
      for (TableMapping table : group.tables()) {
        String staging = placement.staging(group, table.source()).uri();
        try {
          if (!io.delta.tables.DeltaTable.isDeltaTable(spark, staging)) {
            continue;
          }
          OptionalLong oldest = needed.stream()
              .flatMap(p -> p.table(table.source().toString()).stream())
              .map(LedgerRow::stagingVersion).filter(OptionalLong::isPresent)
              .mapToLong(OptionalLong::getAsLong).min();
          double retention = hours(settings.stagingRetention());
          if (oldest.isPresent()) {
            Optional<Instant> committed = commitTime(staging, oldest.getAsLong());
            if (committed.isEmpty()) {
              LOG.info("Ledger maintenance {}/{}: staging {} not vacuumed: version {}, needed by"
                  + " a sync point, has no commit file left to date it", ws.name(), group.name(),
                  staging, oldest.getAsLong());
              continue;
            }
            // The clock read right before this table's VACUUM: Delta dates its own cut-off when it
            // starts, and earlier tables' VACUUMs may have taken long.
            // Whole hours, rounded up: Delta rounds the retention to the nearest hour.
            retention = Math.max(retention, Math.ceil(hours(
                Duration.between(committed.get(), clock.instant()).plus(settings.margin()))));
          }
          io.delta.tables.DeltaTable.forPath(spark, staging).vacuum(retention);
          vacuumed.put(staging, retention);
          LOG.info("Ledger maintenance {}/{}: staging {} vacuumed, retention {} h (oldest needed"
              + " version {})", ws.name(), group.name(), staging, retention,
              oldest.isPresent() ? Long.toString(oldest.getAsLong()) : "none");
        } catch (Exception e) {
          String why = "VACUUM of staging " + staging + ": " + SyncErrors.describe(e);
          problems.add(why);
          LOG.warn("Ledger maintenance {}/{}: {}", ws.name(), group.name(), why);
        }
      }
    }
  }

  /** The sync points whose staging must stay readable: the last applied and every later one. */
  static List<SyncPoint> needed(LedgerState state, String workspace, String group) {
    Optional<SyncPoint> applied = state.lastApplied(workspace, group);
    long floor = applied.map(SyncPoint::sequence).orElse(0L);
    List<SyncPoint> needed = new ArrayList<>();
    applied.ifPresent(needed::add);
    state.syncPoints(workspace, group, SyncStatus.STAGED).stream()
        .filter(p -> p.sequence() >= floor).forEach(needed::add);
    return needed;
  }

  /** When a Delta version was committed: its commit file's time, as Delta itself dates it. */
  private Optional<Instant> commitTime(String table, long version) throws java.io.IOException {
    Path commit = new Path(table, String.format("_delta_log/%020d.json", version));
    FileSystem fs = commit.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try {
      return Optional.of(Instant.ofEpochMilli(fs.getFileStatus(commit).getModificationTime()));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  private static double hours(Duration duration) {
    return duration.toMillis() / 3_600_000.0;
  }
}
