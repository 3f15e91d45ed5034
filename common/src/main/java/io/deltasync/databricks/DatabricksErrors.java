package io.deltasync.databricks;

import io.deltasync.errors.SyncErrors;
import io.deltasync.errors.SyncException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Databricks error means for a clone, read the way Databricks writes it: the error class
 * and SQLSTATE of a {@link org.apache.spark.SparkThrowable}, else the {@code [ERROR_CLASS] message
 * ... SQLSTATE: xxxxx} text Spark and Databricks render, the {@code ERROR_CODE: message} of a
 * Databricks REST error, or an HTTP status. The whole cause chain is read, outermost first.
 *
 * <p>Permission errors, missing tables and vacuumed versions are fatal (the same statement fails
 * the same way until someone acts); throttling and server errors are retryable; anything else
 * keeps its cause. Pure functions of the exception: no Spark, no open-source Delta class.
 */
final class DatabricksErrors {

  /** What the error says happened. */
  enum Cause { PERMISSION, TABLE_MISSING, VERSION_GONE, THROTTLED, SERVER, OTHER }

  private static final Set<String> PERMISSION = Set.of(
      "PERMISSION_DENIED", "INSUFFICIENT_PERMISSIONS", "UNAUTHORIZED_ACCESS");
  private static final Set<String> TABLE_MISSING = Set.of(
      "TABLE_OR_VIEW_NOT_FOUND", "DELTA_TABLE_NOT_FOUND", "DELTA_MISSING_DELTA_TABLE",
      "SCHEMA_NOT_FOUND", "NO_SUCH_CATALOG_EXCEPTION", "RESOURCE_DOES_NOT_EXIST");
  private static final Set<String> VERSION_GONE = Set.of(
      "DELTA_FILE_NOT_FOUND_DETAILED", "DELTA_FILE_NOT_FOUND", "DELTA_TRUNCATED_TRANSACTION_LOG",
      "DELTA_VERSIONS_NOT_CONTIGUOUS", "DELTA_MISSING_PART_FILES", "FAILED_READ_FILE");
  private static final Set<String> THROTTLED = Set.of(
      "TEMPORARILY_UNAVAILABLE", "REQUEST_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED",
      "TOO_MANY_REQUESTS");
  private static final Set<String> SERVER = Set.of("SERVICE_UNAVAILABLE", "DEADLINE_EXCEEDED");

  /** {@code [ERROR_CLASS]} or {@code [ERROR_CLASS.SUB_CLASS]} at the start of a message. */
  private static final Pattern BRACKETED = Pattern.compile("^\\s*\\[([A-Z][A-Z0-9_]*)[.\\]]");
  /** {@code ERROR_CODE: message}, as the Databricks REST APIs and SDK render their errors. */
  private static final Pattern REST_CODE = Pattern.compile("^\\s*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+):");
  private static final Pattern SQLSTATE = Pattern.compile("SQLSTATE: ?([0-9A-Z]{5})");
  /**
   * An HTTP status: "HTTP 429", "Status Code: 503;" (S3), "429 Too Many Requests", and ABFS's
   * {@code Operation failed: "...", 403, GET, https://...}.
   */
  private static final Pattern HTTP_STATUS = Pattern.compile(
      "(?i)\\b(?:http(?:/[0-9.]+)?|status(?: ?code)?)[ :=]*([1-5][0-9][0-9])\\b"
          + "|\\b([45][0-9][0-9]) (?:Too Many Requests|Forbidden|Internal Server Error|Bad Gateway"
          + "|Service Unavailable|Gateway Time-?out)\\b"
          + "|Operation failed: \".*?\", ([1-5][0-9][0-9]), ");
  /** Open-source Delta's VersionNotFoundException has no error class. */
  private static final String VERSION_NOT_FOUND = "Cannot time travel Delta table to version";

  private DatabricksErrors() {}

  /** The cause of the first error in the chain that says one. */
  static Cause causeOf(Throwable error) {
    return Reading.of(error).cause();
  }

  /** The first error in the chain that says its cause (else the outermost), and that cause. */
  private record Reading(Cause cause, Throwable said) {
    static Reading of(Throwable error) {
      for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
        Cause cause = causeOfOne(t);
        if (cause != Cause.OTHER) {
          return new Reading(cause, t);
        }
      }
      return new Reading(Cause.OTHER, error);
    }
  }

  /** The error of a failed {@code DEEP CLONE} statement of {@code source} version into target. */
  static SyncException cloneFailed(String statement, Object source, long version, Object target,
      Throwable error) {
    Reading reading = Reading.of(error);
    String reason = reason(reading.said());
    return switch (reading.cause()) {
      case PERMISSION -> SyncErrors.databricksPermissionDenied(
          "clone " + source + " version " + version + " into " + target, reason, error);
      case TABLE_MISSING -> SyncErrors.databricksTableNotFound("clone source", source, reason, error);
      case VERSION_GONE -> SyncErrors.databricksVersionGone(source, version, reason, error);
      case THROTTLED, SERVER -> SyncErrors.databricksUnavailable(
          "clone " + source + " version " + version + " into " + target, reason, error);
      case OTHER -> SyncErrors.cloneSqlFailed(statement, error);
    };
  }

  /** The error of reading a table's history or details ({@code what}: "read the history of"). */
  static SyncException readFailed(String what, Object table, Throwable error) {
    Reading reading = Reading.of(error);
    String reason = reason(reading.said());
    return switch (reading.cause()) {
      case PERMISSION -> SyncErrors.databricksPermissionDenied(what + " " + table, reason, error);
      case TABLE_MISSING -> SyncErrors.databricksTableNotFound("table", table, reason, error);
      case VERSION_GONE -> SyncErrors.databricksReadFailed(what, table, reason, error);
      case THROTTLED, SERVER -> SyncErrors.databricksUnavailable(what + " " + table, reason, error);
      case OTHER -> SyncErrors.databricksReadFailed(what, table, reason, error);
    };
  }

  private static Cause causeOfOne(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    String errorClass = null;
    String sqlState = null;
    if (t instanceof org.apache.spark.SparkThrowable spark) {
      errorClass = spark.getErrorClass();
      sqlState = spark.getSqlState();
    }
    if (errorClass == null) {
      Matcher bracketed = BRACKETED.matcher(message);
      Matcher rest = REST_CODE.matcher(message);
      errorClass = bracketed.find() ? bracketed.group(1) : rest.find() ? rest.group(1) : null;
    }
    if (errorClass != null) {
      String top = errorClass.toUpperCase(Locale.ROOT);
      int dot = top.indexOf('.');
      top = dot < 0 ? top : top.substring(0, dot);
      if (PERMISSION.contains(top)) {
        return Cause.PERMISSION;
      }
      if (TABLE_MISSING.contains(top)) {
        return Cause.TABLE_MISSING;
      }
      if (VERSION_GONE.contains(top)) {
        return Cause.VERSION_GONE;
      }
      if (THROTTLED.contains(top)) {
        return Cause.THROTTLED;
      }
      if (SERVER.contains(top)) {
        return Cause.SERVER;
      }
    }
    if (message.contains(VERSION_NOT_FOUND)) {
      return Cause.VERSION_GONE;
    }
    if (sqlState == null) {
      Matcher state = SQLSTATE.matcher(message);
      sqlState = state.find() ? state.group(1) : null;
    }
    if ("42501".equals(sqlState)) {
      return Cause.PERMISSION;
    }
    if ("42P01".equals(sqlState)) {
      return Cause.TABLE_MISSING;
    }
    Matcher http = HTTP_STATUS.matcher(message);
    if (http.find()) {
      String code = http.group(1) != null ? http.group(1)
          : http.group(2) != null ? http.group(2) : http.group(3);
      int status = Integer.parseInt(code);
      if (status == 403) {
        return Cause.PERMISSION;
      }
      if (status == 429) {
        return Cause.THROTTLED;
      }
      if (status == 500 || status == 502 || status == 503 || status == 504) {
        return Cause.SERVER;
      }
    }
    return Cause.OTHER;
  }

  /** The error's own words, once: the first line of the first message in the chain. */
  private static String reason(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        String line = t.getMessage().lines().findFirst().orElse("").trim();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
      }
    }
    return error.getClass().getSimpleName();
  }
}
