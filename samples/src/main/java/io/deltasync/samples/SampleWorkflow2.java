package io.deltasync.samples;

import io.deltasync.errors.SyncErrors;
import io.deltasync.table.TableLocation;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sample_workflow_2: a small two-table pipeline, sensor readings and their daily statistics.
 *
 * <p>Each run processes the next day: the day after the last one in the daily table (day 1 on an
 * empty table), or the day given. It writes that day's readings ({@value #SENSORS} sensors,
 * {@value #READINGS_PER_SENSOR} readings each, values a function of the day) to the readings table
 * with {@code REPLACE WHERE day = d}, then MERGEs the day's statistics into the daily table. The
 * daily table is the watermark: a run that failed between the two commits is redone whole by the
 * next run, and a rerun of a day replaces that day's rows rather than adding to them.
 */
public final class SampleWorkflow2 {

  public static final String NAME = "sample_workflow_2";
  static final int SENSORS = 4;
  static final int READINGS_PER_SENSOR = 6;

  private static final Logger LOG = LoggerFactory.getLogger(SampleWorkflow2.class);

  private static final String READINGS_COLUMNS =
      "day INT, sensor STRING, reading_no INT, value DECIMAL(10,2)";
  private static final String DAILY_COLUMNS = "day INT, sensor STRING, readings BIGINT,"
      + " min_value DECIMAL(10,2), max_value DECIMAL(10,2), avg_value DECIMAL(14,6)";

  /** The two tables the workflow writes. */
  public record Tables(TableLocation readings, TableLocation daily) {
    public Tables {
      Objects.requireNonNull(readings, "readings");
      Objects.requireNonNull(daily, "daily");
    }

    public List<TableLocation> all() {
      return List.of(readings, daily);
    }
  }

  /** @param day the day to (re)process; empty for the day after the daily table's last day */
  public record Options(OptionalInt day) {
    public Options {
      Objects.requireNonNull(day, "day");
      if (day.isPresent() && (day.getAsInt() < 1 || day.getAsInt() > 100_000)) {
        throw SyncErrors.sampleOptionOutOfRange("--day", day.getAsInt(), "1 to 100000");
      }
    }

    public static Options nextDay() {
      return new Options(OptionalInt.empty());
    }
  }

  /** What a completed run did: the day it processed and the readings it wrote. */
  public record Result(int day, long readings) {}

  private SampleWorkflow2() {}

  /** Runs the workflow once; throws when it fails. */
  public static Result run(SparkSession spark, Tables tables, Options options) {
    SampleTables.create(spark, tables.readings(), READINGS_COLUMNS);
    SampleTables.create(spark, tables.daily(), DAILY_COLUMNS);
    int day;
    if (options.day().isPresent()) {
      day = options.day().getAsInt();
    } else {
      Row last = spark.sql("SELECT max(day) FROM " + tables.daily().sqlIdentifier()).first();
      day = last.isNullAt(0) ? 1 : last.getInt(0) + 1;
    }
    LOG.info("{}: day {}, readings {}, daily {}", NAME, day, tables.readings(), tables.daily());

    spark.sql("INSERT INTO " + tables.readings().sqlIdentifier() + " REPLACE WHERE day = " + day
        + " SELECT " + day + " AS day,"
        + " concat('sensor-', CAST(id DIV " + READINGS_PER_SENSOR + " + 1 AS STRING)) AS sensor,"
        + " CAST(id % " + READINGS_PER_SENSOR + " + 1 AS INT) AS reading_no,"
        + " CAST((150 + pmod(" + day + " * 37 + (id DIV " + READINGS_PER_SENSOR + " + 1) * 11"
        + " + (id % " + READINGS_PER_SENSOR + " + 1) * 7, 200)) / 10.0 AS DECIMAL(10,2)) AS value"
        + " FROM range(" + (SENSORS * READINGS_PER_SENSOR) + ")");

    spark.sql("MERGE INTO " + tables.daily().sqlIdentifier() + " t USING ("
        + " SELECT day, sensor, count(*) AS readings, min(value) AS min_value, max(value) AS max_value,"
        + " CAST(avg(value) AS DECIMAL(14,6)) AS avg_value"
        + " FROM " + tables.readings().sqlIdentifier() + " WHERE day = " + day
        + " GROUP BY day, sensor) s"
        + " ON t.day = s.day AND t.sensor = s.sensor"
        + " WHEN MATCHED THEN UPDATE SET *"
        + " WHEN NOT MATCHED THEN INSERT *");
    long readings = spark.sql("SELECT count(*) FROM " + tables.readings().sqlIdentifier()
        + " WHERE day = " + day).first().getLong(0);
    LOG.info("{}: done, day {} with {} readings", NAME, day, readings);
    return new Result(day, readings);
  }
}
