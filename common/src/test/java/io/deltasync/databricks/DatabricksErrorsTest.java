package io.deltasync.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.databricks.DatabricksErrors.Cause;
import io.deltasync.errors.SyncException.Kind;
import io.deltasync.errors.SyncException;
import io.deltasync.table.TableLocation;
import java.util.Map;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/**
 * The Databricks cloner's error mapping, from the errors Databricks raises: the {@code
 * [ERROR_CLASS] message ... SQLSTATE: xxxxx} text, Spark's own {@link SparkThrowable}s, the {@code
 * ERROR_CODE: message} of its REST APIs, HTTP statuses. No Databricks needed.
 */
class DatabricksErrorsTest {

  private static final TableLocation SOURCE = TableLocation.parse("prod.sales.orders");
  private static final TableLocation TARGET = TableLocation.parse("dr.staging.orders");
  private static final String STATEMENT = DeepCloneSql.cloneStatement(SOURCE, 7, TARGET);

  /** An error as Databricks Connect and the Spark driver hand it over: class, state, message. */
  private static final class DatabricksError extends RuntimeException implements SparkThrowable {
    private final String errorClass;
    private final String sqlState;

    DatabricksError(String errorClass, String sqlState, String message) {
      super(message);
      this.errorClass = errorClass;
      this.sqlState = sqlState;
    }

    @Override
    public String getErrorClass() {
      return errorClass;
    }

    @Override
    public String getSqlState() {
      return sqlState;
    }
  }

  private static SyncException clone(Throwable error) {
    return DatabricksErrors.cloneFailed(STATEMENT, SOURCE, 7, TARGET, error);
  }

  private static SyncException history(Throwable error) {
    return DatabricksErrors.readFailed("read the history of", SOURCE, error);
  }

  // ---------------------------------------------------------------------------------------------
  // Permission errors: fatal

  @Test
  void insufficientPermissionsIsFatal() {
    RuntimeException error = new DatabricksError("INSUFFICIENT_PERMISSIONS", "42501",
        "[INSUFFICIENT_PERMISSIONS] Insufficient privileges: User does not have USE SCHEMA on"
            + " Schema 'prod.sales'. SQLSTATE: 42501");

    SyncException mapped = clone(error);

    assertThat(mapped.kind()).isEqualTo(Kind.FATAL);
    assertThat(mapped).hasCause(error).hasMessage("Databricks refused to clone prod.sales.orders"
        + " version 7 into dr.staging.orders for lack of permission: [INSUFFICIENT_PERMISSIONS]"
        + " Insufficient privileges: User does not have USE SCHEMA on Schema 'prod.sales'."
        + " SQLSTATE: 42501. Nothing was changed; grant the principal this job runs as"
        + " what it needs (USE CATALOG and USE SCHEMA, SELECT on the source, CREATE TABLE and"
        + " MODIFY on the target's schema, READ FILES and WRITE FILES on the external locations)"
        + " and run it again");
  }

  @Test
  void permissionDeniedInTheRestFormIsFatalWhenReadingHistory() {
    RuntimeException error = new RuntimeException(
        "PERMISSION_DENIED: User does not have SELECT on Table 'prod.sales.orders'.");

    SyncException mapped = history(error);

    assertThat(mapped.kind()).isEqualTo(Kind.FATAL);
    assertThat(mapped).hasMessage("Databricks refused to read the history of prod.sales.orders"
        + " for lack of permission: PERMISSION_DENIED: User does not have SELECT on Table"
        + " 'prod.sales.orders'. Nothing was changed; grant the principal this job runs as what it"
        + " needs (USE CATALOG and USE SCHEMA, SELECT on the source, CREATE TABLE and MODIFY on"
        + " the target's schema, READ FILES and WRITE FILES on the external locations) and run it"
        + " again");
  }

  @Test
  void aSqlStateOf42501AloneIsAPermissionError() {
    assertThat(DatabricksErrors.causeOf(new RuntimeException(
        "User does not have MODIFY on Table 'dr.staging.orders'. SQLSTATE: 42501")))
        .isEqualTo(Cause.PERMISSION);
    assertThat(DatabricksErrors.causeOf(new RuntimeException(
        "Operation failed: \"This request is not authorized to perform this operation using"
            + " this permission.\", 403, HEAD, https://acct.dfs.core.windows.net/c/t?upn=false")))
        .isEqualTo(Cause.PERMISSION);
    assertThat(DatabricksErrors.causeOf(new RuntimeException("Operation failed: \"The server is"
        + " busy.\", 503, PUT, https://acct.dfs.core.windows.net/c/t/_delta_log/0.json")))
        .isEqualTo(Cause.SERVER);
  }

  // ---------------------------------------------------------------------------------------------
  // Missing tables: fatal

  @Test
  void sparksOwnTableOrViewNotFoundIsAMissingTable() {
    AnalysisException error = new AnalysisException("TABLE_OR_VIEW_NOT_FOUND",
        JavaConverters.mapAsScalaMapConverter(Map.of("relationName", "`prod`.`sales`.`orders`"))
            .asScala().toMap(scala.Predef.$conforms()));
    assertThat(error.getMessage()).startsWith("[TABLE_OR_VIEW_NOT_FOUND] The table or view"
        + " `prod`.`sales`.`orders` cannot be found.");

    SyncException mapped = history(error);

    assertThat(mapped.kind()).isEqualTo(Kind.FATAL);
    assertThat(mapped).hasCause(error).hasMessage("The table prod.sales.orders does not exist or"
        + " is not a Delta table on Databricks: [TABLE_OR_VIEW_NOT_FOUND] The table or view"
        + " `prod`.`sales`.`orders` cannot be found. Verify the spelling and correctness of the"
        + " schema and catalog. Check the name, and whether the table was dropped");
  }

  @Test
  void deltaMissingTablesAreMissingTables() {
    assertThat(DatabricksErrors.causeOf(new RuntimeException(
        "[DELTA_MISSING_DELTA_TABLE] `prod`.`sales`.`orders` is not a Delta table."
            + " SQLSTATE: 42P01"))).isEqualTo(Cause.TABLE_MISSING);
    assertThat(DatabricksErrors.causeOf(new DatabricksError("DELTA_TABLE_NOT_FOUND", "42P01",
        "[DELTA_TABLE_NOT_FOUND] Delta table `prod`.`sales`.`orders` doesn't exist."
            + " SQLSTATE: 42P01"))).isEqualTo(Cause.TABLE_MISSING);

    SyncException mapped = clone(new RuntimeException("[TABLE_OR_VIEW_NOT_FOUND] The table or"
        + " view `prod`.`sales`.`orders` cannot be found. SQLSTATE: 42P01; line 1 pos 61;"));

    assertThat(mapped.kind()).isEqualTo(Kind.FATAL);
    assertThat(mapped).hasMessage("The clone source prod.sales.orders does not exist or is not a"
        + " Delta table on Databricks: [TABLE_OR_VIEW_NOT_FOUND] The table or view"
        + " `prod`.`sales`.`orders` cannot be found. SQLSTATE: 42P01; line 1 pos 61;. Check the"
        + " name, and whether the table was dropped");
  }

  // ---------------------------------------------------------------------------------------------
  // Vacuumed or missing versions: fatal

  @Test
  void aVacuumedFileIsFatalAndSaysWhatToDo() {
    RuntimeException error = new RuntimeException("Job aborted.", new DatabricksError(
        "DELTA_FILE_NOT_FOUND_DETAILED", "42K03", "[DELTA_FILE_NOT_FOUND_DETAILED] File"
            + " abfss://c@acct.dfs.core.windows.net/orders/part-00000-1c2f.snappy.parquet"
            + " referenced in the transaction log cannot be found. This occurs when data has"
            + " been manually deleted from the file system rather than using the table `DELETE`"
            + " statement. SQLSTATE: 42K03"));

    SyncException mapped = clone(error);

    assertThat(mapped.kind()).isEqualTo(Kind.FATAL);
    assertThat(mapped).hasCause(error).hasMessage("Table prod.sales.orders version 7 cannot be"
        + " cloned: Databricks no longer holds all of it (vacuumed, or its log cleaned up):"
        + " [DELTA_FILE_NOT_FOUND_DETAILED] File"
        + " abfss://c@acct.dfs.core.windows.net/orders/part-00000-1c2f.snappy.parquet referenced"
        + " in the transaction log cannot be found. This occurs when data has been manually"
        + " deleted from the file system rather than using the table `DELETE` statement."
        + " SQLSTATE: 42K03. Clone a newer version, and set delta.deletedFileRetentionDuration"
        + " and delta.logRetentionDuration longer than the sync interval");
  }

  @Test
  void truncatedLogsNonContiguousVersionsAndUnavailableVersionsAreGone() {
    assertThat(DatabricksErrors.causeOf(new RuntimeException("[DELTA_TRUNCATED_TRANSACTION_LOG]"
        + " abfss://c@acct.dfs.core.windows.net/orders/_delta_log/00000000000000000007.json:"
        + " Unable to reconstruct state at version 7 as the transaction log has been truncated"
        + " due to manual deletion or the log retention policy (delta.logRetentionDuration=30"
        + " days) and checkpoint retention policy (delta.checkpointRetentionDuration=2 days)"
        + " SQLSTATE: 42K03"))).isEqualTo(Cause.VERSION_GONE);
    assertThat(DatabricksErrors.causeOf(new DatabricksError("DELTA_VERSIONS_NOT_CONTIGUOUS",
        "KD00C", "[DELTA_VERSIONS_NOT_CONTIGUOUS] Versions (5, 6, 8) are not contiguous."
            + " SQLSTATE: KD00C"))).isEqualTo(Cause.VERSION_GONE);
    assertThat(DatabricksErrors.causeOf(new RuntimeException("[FAILED_READ_FILE.FILE_NOT_EXIST]"
        + " Error while reading file abfss://c@acct.dfs.core.windows.net/orders/part-1.parquet."
        + " SQLSTATE: KD001"))).isEqualTo(Cause.VERSION_GONE);
    assertThat(DatabricksErrors.causeOf(new RuntimeException(
        "Cannot time travel Delta table to version 7. Available versions: [9, 12].")))
        .isEqualTo(Cause.VERSION_GONE);
  }

  // ---------------------------------------------------------------------------------------------
  // Throttling and server errors: retryable

  @Test
  void throttlingIsRetryable() {
    RuntimeException error = new RuntimeException("REQUEST_LIMIT_EXCEEDED: Your request was"
        + " rejected since your organization has exceeded the rate limit. Please retry.");

    SyncException mapped = clone(error);

    assertThat(mapped.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(mapped).hasCause(error).hasMessage("Databricks is throttling or temporarily"
        + " unavailable, so it could not clone prod.sales.orders version 7 into dr.staging.orders:"
        + " REQUEST_LIMIT_EXCEEDED: Your request was rejected since your organization has exceeded"
        + " the rate limit. Please retry. A clone either holds its previous state or the whole"
        + " version: retry with backoff (re-read the target first)");
    assertThat(history(new RuntimeException("[TEMPORARILY_UNAVAILABLE] The service is"
        + " temporarily unavailable. SQLSTATE: 08000")).kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(DatabricksErrors.causeOf(new RuntimeException(
        "HTTP 429 Too Many Requests from https://adb-1.azuredatabricks.net")))
        .isEqualTo(Cause.THROTTLED);
  }

  @Test
  void serverErrorsAreRetryable() {
    assertThat(DatabricksErrors.causeOf(new RuntimeException(
        "com.amazonaws.services.s3.model.AmazonS3Exception: Slow Down (Service: Amazon S3;"
            + " Status Code: 503; Error Code: SlowDown)"))).isEqualTo(Cause.SERVER);
    assertThat(DatabricksErrors.causeOf(new RuntimeException("502 Bad Gateway")))
        .isEqualTo(Cause.SERVER);
    assertThat(history(new RuntimeException("SERVICE_UNAVAILABLE: The service is unavailable"))
        .kind()).isEqualTo(Kind.RETRYABLE);
  }

  // ---------------------------------------------------------------------------------------------
  // Anything else keeps its cause

  @Test
  void anythingElseKeepsItsCause() {
    RuntimeException error = new DatabricksError("DELTA_CLONE_INCOMPATIBLE_SOURCE", "0AKDC",
        "[DELTA_CLONE_INCOMPATIBLE_SOURCE] The clone source has valid format, but has"
            + " unsupported feature with Delta. SQLSTATE: 0AKDC");

    SyncException mapped = clone(error);

    assertThat(DatabricksErrors.causeOf(error)).isEqualTo(Cause.OTHER);
    assertThat(mapped.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(mapped).hasCause(error).hasMessage("DEEP CLONE failed: " + STATEMENT + " ("
        + error.getMessage() + "). Re-read the target before retrying: it holds either its"
        + " previous state or the whole clone");
    SyncException read = history(new IllegalStateException("boom"));
    assertThat(read).hasMessage("Could not read the history of prod.sales.orders on Databricks:"
        + " boom. Retry; if it persists, check the table and this job's access to it");
    assertThat(read.getCause()).hasMessage("boom");
  }

  @Test
  void aNumberInAPathIsNotAnHttpStatus() {
    assertThat(DatabricksErrors.causeOf(new RuntimeException(
        "Could not read abfss://c@acct.dfs.core.windows.net/orders/part-00503.parquet")))
        .isEqualTo(Cause.OTHER);
  }
}
