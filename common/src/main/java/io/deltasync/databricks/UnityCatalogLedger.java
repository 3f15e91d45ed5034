package io.deltasync.databricks;

import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.SyncLedger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger, registered in Unity Catalog as the external table {@code <catalog>.deltasync.ledger}
 * at the ledger's path, so that Databricks SQL (the dashboard, the alert, anyone) can query it by
 * name. Reads and appends go to the wrapped path-based ledger unchanged.
 *
 * <p>After its first append (one attempt per instance: one per workspace and cycle), this ledger issues {@code CREATE SCHEMA IF NOT EXISTS} and {@code
 * CREATE TABLE IF NOT EXISTS ... LOCATION}: after an append, because a table can only be
 * registered on a path that holds a Delta table. Both statements are idempotent; the table takes
 * its schema from the Delta log, so a format change never needs a new registration. The
 * registration is best-effort: when it fails (no {@code CREATE SCHEMA} or {@code CREATE EXTERNAL
 * TABLE} privilege, no external location covering the path) a WARN says what to grant, and the
 * sync goes on. Wired on Databricks only ({@code runtime/SyncWiring}): open-source Spark has no
 * Unity Catalog.
 */
public final class UnityCatalogLedger implements SyncLedger {

  private static final Logger LOG = LoggerFactory.getLogger(UnityCatalogLedger.class);

  /** The schema the ledger is registered in, inside the configured catalog. */
  public static final String SCHEMA = "deltasync";
  /** The ledger's table name, inside {@link #SCHEMA}. */
  public static final String TABLE = "ledger";

  private final SparkSession spark;
  private final SyncLedger ledger;
  private final String catalog;
  private boolean attempted;

  /**
   * @param ledger the path-based ledger to register; its {@link SyncLedger#location()} is the path
   * @param catalog the {@code ledger_catalog} of the workspace
   */
  public UnityCatalogLedger(SparkSession spark, SyncLedger ledger, String catalog) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** The statements that register a ledger at {@code path} in {@code catalog}, in order. */
  public static List<String> statements(String catalog, String path) {
    String schema = "`" + catalog + "`.`" + SCHEMA + "`";
    return List.of(
        "CREATE SCHEMA IF NOT EXISTS " + schema
            + " COMMENT 'deltasync: the DR sync ledger (docs/sync.md)'",
        "CREATE TABLE IF NOT EXISTS " + schema + ".`" + TABLE + "` USING DELTA LOCATION '"
            + path.replace("\\", "\\\\").replace("'", "\\'") + "'");
  }

  /** The ledger's name in Unity Catalog. */
  public String tableName() {
    return catalog + "." + SCHEMA + "." + TABLE;
  }

  @Override
  public List<LedgerRow> read() {
    return ledger.read();
  }

  @Override
  public LedgerState current(String workspace) {
    return ledger.current(workspace);
  }

  @Override
  public AppendOutcome append(List<LedgerRow> rows, Optional<LedgerTxn> txn) {
    AppendOutcome outcome = ledger.append(rows, txn);
    if (!attempted) {
      attempted = true;
      register();
    }
    return outcome;
  }

  @Override
  public String location() {
    return ledger.location();
  }

  /**
   * Registers the ledger now (the ledger must exist); true when it is registered, false (and a
   * WARN) when that failed.
   */
  public boolean register() {
    try {
      for (String statement : statements(catalog, ledger.location())) {
        spark.sql(statement);
      }
      LOG.info("Ledger {} is registered as {}", ledger.location(), tableName());
      return true;
    } catch (Exception e) {
      // Not only RuntimeException: Spark (Scala) throws AnalysisException unchecked.
      LOG.warn("Ledger {} could not be registered as {} ({}): the sync goes on, but Databricks SQL"
              + " cannot query the ledger by name. Grant this job's principal USE CATALOG and CREATE"
              + " SCHEMA on {} and CREATE EXTERNAL TABLE on the external location of {}, or create"
              + " the table yourself: {}", ledger.location(), tableName(), e.getMessage(), catalog,
          ledger.location(), statements(catalog, ledger.location()).get(1));
      return false;
    }
  }
}
