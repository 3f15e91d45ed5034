package io.deltasync.spark;

import io.deltasync.errors.SyncErrors;
import io.deltasync.faults.FailurePoint;
import io.deltasync.faults.Faults;
import io.deltasync.ledger.CurrentRows;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.Region;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger as a path-based Delta table, written and read through the Spark DataFrame API and
 * the public {@code DeltaTable} API, so the same code runs on open-source Delta and on Databricks.
 * One shortcut is open-source only and skipped on Databricks: the head of the log from Delta's
 * internal {@code DeltaLog} ({@link #head}).
 *
 * <p>Idempotence uses Delta's writer options {@code txnAppId}/{@code txnVersion}: Delta records
 * the newest version per application id in the log, skips an append whose version is not above it,
 * and fails the second of two racing appends with the same application id
 * ({@code ConcurrentTransactionException}).
 */
public final class DeltaSyncLedger implements SyncLedger {

  private static final Logger LOG = LoggerFactory.getLogger(DeltaSyncLedger.class);

  /** The ledger's columns, as documented in docs/sync.md. */
  public static final StructType SCHEMA = new StructType(new StructField[] {
    DataTypes.createStructField("format_version", DataTypes.IntegerType, false),
    DataTypes.createStructField("sync_id", DataTypes.StringType, false),
    DataTypes.createStructField("sequence", DataTypes.LongType, false),
    DataTypes.createStructField("workspace", DataTypes.StringType, false),
    DataTypes.createStructField("group_name", DataTypes.StringType, false),
    DataTypes.createStructField("table_name", DataTypes.StringType, false),
    DataTypes.createStructField("secondary_table", DataTypes.StringType, false),
    DataTypes.createStructField("run_id", DataTypes.LongType, true),
    DataTypes.createStructField("run_end_time", DataTypes.TimestampType, true),
    DataTypes.createStructField("source_version", DataTypes.LongType, true),
    DataTypes.createStructField("staging_version", DataTypes.LongType, true),
    DataTypes.createStructField("target_version", DataTypes.LongType, true),
    DataTypes.createStructField("status", DataTypes.StringType, false),
    DataTypes.createStructField("num_copied_files", DataTypes.LongType, false),
    DataTypes.createStructField("copied_files_size", DataTypes.LongType, false),
    DataTypes.createStructField("num_removed_files", DataTypes.LongType, false),
    DataTypes.createStructField("removed_files_size", DataTypes.LongType, false),
    DataTypes.createStructField("source_table_size", DataTypes.LongType, false),
    DataTypes.createStructField("source_num_of_files", DataTypes.LongType, false),
    DataTypes.createStructField("duration_ms", DataTypes.LongType, false),
    DataTypes.createStructField("attempt", DataTypes.IntegerType, false),
    DataTypes.createStructField("error", DataTypes.StringType, true),
    DataTypes.createStructField("recorded_at", DataTypes.TimestampType, false),
    // Format 2. Nullable: a format 1 ledger gains them on its first format 2 append, with NULL
    // in the rows written before (read as epoch 0, staged from the primary, id unknown).
    DataTypes.createStructField("epoch", DataTypes.LongType, true),
    DataTypes.createStructField("source_region", DataTypes.StringType, true),
    DataTypes.createStructField("source_table_id", DataTypes.StringType, true),
    DataTypes.createStructField("changed_by", DataTypes.StringType, true),
  });

  /** The copy of the current rows: the ledger's columns, the version, the last compaction. */
  private static final StructType COPY_SCHEMA = SCHEMA
      .add(DataTypes.createStructField("ledger_version", DataTypes.LongType, false))
      .add(DataTypes.createStructField("optimized_at", DataTypes.TimestampType, true));

  private static final org.apache.spark.sql.Column[] COPY_COLUMNS = java.util.Arrays.stream(
      COPY_SCHEMA.fieldNames()).map(functions::col).toArray(org.apache.spark.sql.Column[]::new);

  /** The columns a format 1 ledger has: every column up to {@code recorded_at}. */
  private static final int FORMAT_1_COLUMNS = 23;

  private final SparkSession spark;
  private final String path;
  private final Faults faults;
  /** The newest current rows read by this instance, and of which table (see #currentRows). */
  private volatile Remembered remembered;

  private record Remembered(String tableId, Current current) {}

  public DeltaSyncLedger(SparkSession spark, String path) {
    this(spark, path, Faults.NONE);
  }

  /** A ledger that reaches the {@code LEDGER_*} {@link FailurePoint}s through {@code faults}. */
  public DeltaSyncLedger(SparkSession spark, String path, Faults faults) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.path = Objects.requireNonNull(path, "path");
    this.faults = Objects.requireNonNull(faults, "faults");
  }

  @Override
  public String location() {
    return path;
  }

  @Override
  public List<LedgerRow> read() {
    Optional<Dataset<Row>> table = load(OptionalLong.empty());
    if (table.isEmpty()) {
      return List.of();
    }
    return collect(ledgerColumns(table.get()));
  }

  /**
   * The current rows, at the cost of the current rows: the copy in {@link #currentLocation()} (the
   * current rows as of one ledger version) plus the rows appended since, read from the ledger's
   * change feed, reduced again by {@link CurrentRows}. The ledger's commits stay the only truth: the
   * copy says which version it reflects, and a copy that is missing, of another ledger or not
   * readable with the change feed (not enabled, log cleaned up) is ignored for the reduction of
   * the whole history, run in Spark.
   */
  @Override
  public LedgerState current(String workspace) {
    return new LedgerState(currentRows().rows().stream()
        .filter(r -> r.workspace().equals(workspace)).toList());
  }

  /**
   * Every workspace's current rows and the ledger version they reflect (-1: no ledger yet).
   *
   * <p>Each read starts from the newest current rows this instance has read before, when they are
   * of the same table (its Delta id) and not newer than its newest version: they are a copy in
   * memory, as good as the one on storage and read for free. So a caller that reads the ledger
   * several times (failover: its decisions, the epoch record's points, the epoch before and after
   * the record) pays for the whole copy once and then only for the commits appended since its
   * previous read, or for nothing when there are none; every read still reads to the newest commit.
   */
  public Current currentRows() {
    Head head = head();
    long latest = head.version();
    if (latest < 0) {
      return new Current(-1, List.of(), Optional.empty());
    }
    // Without the change feed only the whole history can say what was appended since.
    Remembered last = remembered;
    Optional<Current> base = last != null && head.changeFeed()
        && last.tableId().equals(head.tableId())
        && last.current().version() <= latest ? Optional.of(last.current()) : readCopy();
    Current current = currentRows(latest, base);
    remembered = new Remembered(head.tableId(), current);
    return current;
  }

  /** The current rows at {@code latest}, from {@code copy} when it is usable. */
  private Current currentRows(long latest, Optional<Current> copy) {
    if (copy.isPresent() && copy.get().version() <= latest) {
      List<Row> appended = List.of();
      boolean usable = true;
      if (copy.get().version() < latest) {
        try {
          appended = appendedRows(copy.get().version() + 1, latest);
        } catch (Exception e) {
          // Not only RuntimeException: Delta (Scala) throws the file system's IOException unchecked.
          usable = false;
          LOG.warn("Ledger {}: the rows appended after version {} cannot be read from the change"
              + " feed ({}); reducing the whole history", path, copy.get().version(),
              SyncErrors.describe(e));
        }
      }
      if (usable) {
        List<LedgerRow> rows = new ArrayList<>(copy.get().rows());
        for (Row row : appended) {
          rows.add(checkedRow(row));
        }
        return new Current(latest, CurrentRows.of(rows), copy.get().optimizedAt());
      }
    }
    return new Current(latest, reduceHistory(latest),
        copy.flatMap(Current::optimizedAt));
  }

  /**
   * Writes {@code current} as the copy of the current rows (one overwrite commit of a small table).
   * A copy only ever saves reading: a failed or lost write costs the next reader more rows.
   */
  public void writeCurrent(Current current) {
    if (current.rows().isEmpty()) {
      return;
    }
    Timestamp optimized = current.optimizedAt().map(Timestamp::from).orElse(null);
    List<Row> rows = new ArrayList<>();
    for (LedgerRow row : current.rows()) {
      Object[] values = new Object[COPY_SCHEMA.size()];
      Row base = toRow(row);
      for (int i = 0; i < base.size(); i++) {
        values[i] = base.get(i);
      }
      values[SCHEMA.size()] = current.version();
      values[SCHEMA.size() + 1] = optimized;
      rows.add(RowFactory.create(values));
    }
    try {
      spark.createDataFrame(rows, COPY_SCHEMA).coalesce(1).write().format("delta")
          .mode("overwrite").option("overwriteSchema", "true").save(currentLocation());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw SyncErrors.fileSystemUnreachable(currentLocation(), e);
    }
  }

  /** Where the copy of the current rows lives: beside the ledger, {@code <ledger>_current}. */
  public String currentLocation() {
    return path + "_current";
  }

  /**
   * The current rows as of a ledger version.
   *
   * @param version the ledger version they reflect
   * @param rows every workspace's {@link CurrentRows}
   * @param optimizedAt when maintenance last compacted the ledger, as the copy records it
   */
  public record Current(long version, List<LedgerRow> rows, Optional<Instant> optimizedAt) {
    public Current {
      rows = List.copyOf(rows);
    }

    /** The same rows, recording a compaction of the ledger at {@code when}. */
    public Current optimized(Instant when) {
      return new Current(version, rows, Optional.of(when));
    }
  }

  /** The ledger's newest version (its newest commit). */
  public long latestVersion() {
    long version = newestVersion();
    if (version < 0) {
      throw SyncErrors.ledgerUnreadable(path,
          new IllegalStateException("no Delta table at " + path));
    }
    return version;
  }

  /** The ledger's newest version, -1 when there is none yet. */
  private long newestVersion() {
    return head().version();
  }

  /**
   * What a read needs to know of the ledger's newest commit: its version (-1: no ledger yet), the
   * table's Delta id and whether its change feed is on.
   */
  record Head(long version, String tableId, boolean changeFeed) {
    static final Head NONE = new Head(-1, "", false);
  }

  /**
   * The ledger's head. On open-source Delta one update of its Delta log, no query (a history query
   * plans and runs a Spark job for one number); on Databricks, whose runtime does not ship
   * open-source Delta's internal classes, through the public {@code DeltaTable} API.
   */
  Head head() {
    if (Sparks.onDatabricks()) {
      return headThroughPublicApi();
    }
    try {
      org.apache.spark.sql.delta.Snapshot snapshot = org.apache.spark.sql.delta.DeltaLog
          .forTable(spark, new org.apache.hadoop.fs.Path(path))
          .update(false, scala.Option.empty(), scala.Option.empty());
      if (snapshot.version() < 0) {
        return Head.NONE;
      }
      scala.Option<String> feed = snapshot.metadata().configuration()
          .get("delta.enableChangeDataFeed");
      return new Head(snapshot.version(), snapshot.metadata().id(),
          feed.isDefined() && "true".equalsIgnoreCase(feed.get()));
    } catch (Exception e) {
      // Not only RuntimeException: Delta (Scala) throws the file system's IOException unchecked.
      throw SyncErrors.ledgerUnreadable(path, e);
    }
  }

  /**
   * The head through {@code DeltaTable}'s history and detail (public on open-source Delta and on
   * Databricks). The version is read first: a commit landing in between cannot change the table's
   * id, and the change feed setting only ever matters for rows after the version read.
   */
  Head headThroughPublicApi() {
    try {
      if (!io.delta.tables.DeltaTable.isDeltaTable(spark, path)) {
        return Head.NONE;
      }
      io.delta.tables.DeltaTable table = io.delta.tables.DeltaTable.forPath(spark, path);
      long version = table.history(1).select("version").first().getLong(0);
      Row detail = table.detail().select("id", "properties").first();
      String feed = detail.<String, String>getJavaMap(1).get("delta.enableChangeDataFeed");
      return new Head(version, detail.getString(0), "true".equalsIgnoreCase(feed));
    } catch (Exception e) {
      throw SyncErrors.ledgerUnreadable(path, e);
    }
  }

  private Optional<Current> readCopy() {
    String copy = currentLocation();
    try {
      if (!io.delta.tables.DeltaTable.isDeltaTable(spark, copy)) {
        return Optional.empty();
      }
      Dataset<Row> table = spark.read().format("delta").load(copy);
      List<Row> rows = table.select(COPY_COLUMNS).collectAsList();
      if (rows.isEmpty()) {
        return Optional.empty();
      }
      long version = rows.get(0).getLong(SCHEMA.size());
      Optional<Instant> optimized = rows.get(0).isNullAt(SCHEMA.size() + 1)
          ? Optional.empty() : Optional.of(instant(rows.get(0).get(SCHEMA.size() + 1)));
      List<LedgerRow> ledgerRows = new ArrayList<>(rows.size());
      for (Row row : rows) {
        if (row.getLong(SCHEMA.size()) != version) {
          return Optional.empty();
        }
        ledgerRows.add(checkedRow(row));
      }
      return Optional.of(new Current(version, ledgerRows, optimized));
    } catch (Exception e) {
      // A copy of another build or a torn one: only a cost, never a reason to fail.
      LOG.warn("Ledger {}: the copy of the current rows at {} is not usable ({}); reducing the"
          + " whole history", path, copy, SyncErrors.describe(e));
      return Optional.empty();
    }
  }

  /** The rows the commits {@code from..to} appended, from the change feed. */
  private List<Row> appendedRows(long from, long to) {
    Dataset<Row> changes = spark.read().format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", from)
        .option("endingVersion", to)
        .load(path);
    org.apache.spark.sql.Column[] select = java.util.Arrays.copyOf(
        ledgerSelect(List.of(changes.columns())), SCHEMA.size() + 1);
    select[SCHEMA.size()] = functions.col("_change_type");
    List<Row> rows = changes.select(select).collectAsList();
    for (Row row : rows) {
      if (!"insert".equals(row.getString(SCHEMA.size()))) {
        // The contract says append-only; a changed row makes the copy's reduction unsafe.
        throw new IllegalStateException("a commit between versions " + from + " and " + to
            + " changed rows (" + row.getString(SCHEMA.size()) + ")");
      }
    }
    return rows;
  }

  /** Each group's rows from its last applied sync point on, and every epoch row, reduced in Spark. */
  private List<LedgerRow> reduceHistory(long version) {
    Dataset<Row> table = ledgerColumns(load(OptionalLong.of(version)).orElseThrow());
    Dataset<Row> floors = table.filter(functions.col("status").equalTo(SyncStatus.APPLIED.name()))
        .groupBy(functions.col("workspace").as("floor_workspace"),
            functions.col("group_name").as("floor_group"))
        .agg(functions.max("sequence").as("applied_floor"));
    Dataset<Row> kept = table
        .join(floors, functions.col("workspace").equalTo(functions.col("floor_workspace"))
            .and(functions.col("group_name").equalTo(functions.col("floor_group"))), "left")
        .filter(functions.col("status").equalTo(SyncStatus.EPOCH.name())
            .or(functions.col("sequence").geq(
                functions.coalesce(functions.col("applied_floor"), functions.lit(0L)))))
        .select(java.util.Arrays.stream(SCHEMA.fieldNames()).map(functions::col)
            .toArray(org.apache.spark.sql.Column[]::new));
    return CurrentRows.of(collect(kept));
  }

  private Optional<Dataset<Row>> load(OptionalLong version) {
    try {
      if (!io.delta.tables.DeltaTable.isDeltaTable(spark, path)) {
        return Optional.empty();
      }
      DataFrameReader reader = spark.read().format("delta");
      if (version.isPresent()) {
        reader = reader.option("versionAsOf", version.getAsLong());
      }
      return Optional.of(reader.load(path));
    } catch (Exception e) {
      // Not only RuntimeException: Delta (Scala) throws the file system's IOException unchecked.
      throw SyncErrors.ledgerUnreadable(path, e);
    }
  }

  /** The ledger's columns in {@link #SCHEMA} order, after checking its format. */
  private Dataset<Row> ledgerColumns(Dataset<Row> table) {
    List<String> columns = List.of(table.columns());
    if (!columns.contains("format_version")) {
      throw SyncErrors.notALedger(path, "it has no format_version column");
    }
    // Format first: a newer build may have changed what the other columns mean.
    Row newest = table.agg(functions.max("format_version")).first();
    if (!newest.isNullAt(0) && newest.getInt(0) > LedgerRow.CURRENT_FORMAT) {
      throw SyncErrors.ledgerFormatTooNew(path, newest.getInt(0), LedgerRow.CURRENT_FORMAT);
    }
    return table.select(ledgerSelect(columns));
  }

  private org.apache.spark.sql.Column[] ledgerSelect(List<String> columns) {
    StructField[] fields = SCHEMA.fields();
    org.apache.spark.sql.Column[] select = new org.apache.spark.sql.Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      StructField field = fields[i];
      if (columns.contains(field.name())) {
        select[i] = functions.col(field.name());
      } else if (i >= FORMAT_1_COLUMNS) {
        // A format 1 ledger that no format 2 build has appended to yet.
        select[i] = functions.lit(null).cast(field.dataType()).as(field.name());
      } else {
        throw SyncErrors.notALedger(path, "it has no " + field.name() + " column");
      }
    }
    return select;
  }

  private List<LedgerRow> collect(Dataset<Row> selected) {
    List<Row> rows;
    try {
      rows = selected.collectAsList();
    } catch (Exception e) {
      // Not only RuntimeException: Delta (Scala) throws the file system's IOException unchecked.
      throw SyncErrors.ledgerUnreadable(path, e);
    }
    List<LedgerRow> result = new ArrayList<>(rows.size());
    for (Row row : rows) {
      result.add(fromRow(row));
    }
    return result;
  }

  /** Attempts of one append that lost to concurrent commits (other groups' appends). */
  static final int CONFLICT_ATTEMPTS = 10;

  /** A row read without the table-wide format check: checked here, before anything else. */
  private LedgerRow checkedRow(Row row) {
    if (row.getInt(0) > LedgerRow.CURRENT_FORMAT) {
      throw SyncErrors.ledgerFormatTooNew(path, row.getInt(0), LedgerRow.CURRENT_FORMAT);
    }
    return fromRow(row);
  }

  @Override
  public AppendOutcome append(List<LedgerRow> rows, Optional<LedgerTxn> txn) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("nothing to append");
    }
    String syncId = rows.get(0).syncId();
    if (rows.stream().anyMatch(r -> !r.syncId().equals(syncId))) {
      throw new IllegalArgumentException("one append carries one sync id");
    }
    List<Row> sparkRows = rows.stream().map(DeltaSyncLedger::toRow).toList();
    DataFrameWriter<Row> writer = spark.createDataFrame(sparkRows, SCHEMA)
        .coalesce(1)
        .write()
        .format("delta")
        .mode("append")
        // A format 1 ledger gains the format 2 columns (nullable) on its first format 2 append.
        .option("mergeSchema", "true");
    if (txn.isPresent()) {
      writer = writer.option("txnAppId", txn.get().appId())
          .option("txnVersion", Long.toString(txn.get().version()));
    }
    // Where to look for the append afterwards: only a commit after this version can hold it.
    long before = txn.isPresent() ? newestVersion() : -1;
    faults.reach(FailurePoint.LEDGER_BEFORE_COMMIT);
    for (int attempt = 1; ; attempt++) {
      try {
        writer.save(path);
        break;
      } catch (java.util.ConcurrentModificationException e) {
        // Delta's conflict check refused the commit before writing it (groups append at once; the
        // first appends to a new ledger all try to create it): nothing landed, so try again. An
        // append with a txn already committed by the winner is then skipped, as usual.
        if (attempt >= CONFLICT_ATTEMPTS) {
          throw e;
        }
        LOG.info("Ledger {}: append {} lost a race with a concurrent commit (attempt {}/{}): {};"
            + " appending again", path, syncId, attempt, CONFLICT_ATTEMPTS,
            e.getClass().getSimpleName());
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        // A checked IOException thrown through Scala: make it one the callers' unknown-outcome
        // handling sees (they re-read the ledger before deciding).
        throw SyncErrors.fileSystemUnreachable(path, e);
      }
    }
    faults.reach(FailurePoint.LEDGER_AFTER_COMMIT);
    if (txn.isEmpty()) {
      return AppendOutcome.APPENDED; // Delta skips only appends with a txn
    }
    // Delta skips an append whose txn version was already committed without telling the caller:
    // look for our own sync id to tell the two apart.
    if (!landed(syncId, before)) {
      LOG.info("Ledger {}: append {} skipped, {} already committed", path, syncId, txn.orElse(null));
      return AppendOutcome.ALREADY_COMMITTED;
    }
    return AppendOutcome.APPENDED;
  }

  /**
   * Whether rows of {@code syncId} are in a commit after version {@code before}: read from the
   * change feed of those commits (a few), or from the whole table when the feed cannot give them
   * (not enabled yet, no table before). A scan of the whole table costs what the history costs.
   */
  private boolean landed(String syncId, long before) {
    if (before >= 0) {
      try {
        return spark.read().format("delta").option("readChangeFeed", "true")
            .option("startingVersion", before + 1).load(path)
            .filter(functions.col("sync_id").equalTo(syncId)).limit(1).count() > 0;
      } catch (Exception e) {
        // Not only RuntimeException: Delta (Scala) throws AnalysisException unchecked.
        LOG.debug("Ledger {}: change feed after version {} not readable ({}); scanning the table",
            path, before, SyncErrors.describe(e));
      }
    }
    return spark.read().format("delta").load(path)
        .filter(functions.col("sync_id").equalTo(syncId)).limit(1).count() > 0;
  }

  /** A row as the ledger stores it, in {@link #SCHEMA} order. */
  static Row toRow(LedgerRow r) {
    return RowFactory.create(
        r.formatVersion(),
        r.syncId(),
        r.sequence(),
        r.workspace(),
        r.groupName(),
        r.tableName(),
        r.secondaryTable(),
        boxed(r.runId()),
        r.runEndTime().map(Timestamp::from).orElse(null),
        boxed(r.sourceVersion()),
        boxed(r.stagingVersion()),
        boxed(r.targetVersion()),
        r.status().name(),
        r.numCopiedFiles(),
        r.copiedFilesSize(),
        r.numRemovedFiles(),
        r.removedFilesSize(),
        r.sourceTableSize(),
        r.sourceNumOfFiles(),
        r.durationMs(),
        r.attempt(),
        r.error().orElse(null),
        Timestamp.from(r.recordedAt()),
        r.epoch(),
        r.sourceRegion().name(),
        r.sourceTableId().orElse(null),
        r.changedBy().orElse(null));
  }

  private LedgerRow fromRow(Row row) {
    SyncStatus status;
    try {
      status = SyncStatus.valueOf(row.getString(12));
    } catch (IllegalArgumentException e) {
      throw SyncErrors.ledgerFormatTooNew(path, row.getInt(0), LedgerRow.CURRENT_FORMAT);
    }
    return new LedgerRow(
        row.getInt(0),
        row.getString(1),
        row.getLong(2),
        row.getString(3),
        row.getString(4),
        row.getString(5),
        row.getString(6),
        optionalLong(row, 7),
        row.isNullAt(8) ? Optional.empty() : Optional.of(instant(row.get(8))),
        optionalLong(row, 9),
        optionalLong(row, 10),
        optionalLong(row, 11),
        status,
        row.getLong(13),
        row.getLong(14),
        row.getLong(15),
        row.getLong(16),
        row.getLong(17),
        row.getLong(18),
        row.getLong(19),
        row.getInt(20),
        row.isNullAt(21) ? Optional.empty() : Optional.of(row.getString(21)),
        instant(row.get(22)),
        row.isNullAt(23) ? 0L : row.getLong(23),
        row.isNullAt(24) ? Region.PRIMARY : region(row.getString(24), row.getInt(0)),
        row.isNullAt(25) ? Optional.empty() : Optional.of(row.getString(25)),
        row.isNullAt(26) ? Optional.empty() : Optional.of(row.getString(26)));
  }

  private Region region(String name, int format) {
    try {
      return Region.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw SyncErrors.ledgerFormatTooNew(path, format, LedgerRow.CURRENT_FORMAT);
    }
  }

  private static Instant instant(Object value) {
    if (value instanceof Timestamp ts) {
      return ts.toInstant();
    }
    if (value instanceof Instant instant) {
      return instant;
    }
    throw new IllegalStateException("unexpected timestamp value " + value);
  }

  private static Long boxed(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }

  private static OptionalLong optionalLong(Row row, int index) {
    return row.isNullAt(index) ? OptionalLong.empty() : OptionalLong.of(row.getLong(index));
  }

}
