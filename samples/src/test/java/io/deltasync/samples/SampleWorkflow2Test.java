package io.deltasync.samples;

import static io.deltasync.samples.SampleWorkflow1Test.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.table.TableLocation;
import io.deltasync.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleWorkflow2Test {

  private final SparkSession spark = SharedSpark.spark();

  @TempDir Path dir;

  @Test
  void eachRunProcessesTheNextDayWithExactStatistics() {
    SampleWorkflow2.Tables tables = tables();

    assertThat(SampleWorkflow2.run(spark, tables, SampleWorkflow2.Options.nextDay()))
        .isEqualTo(new SampleWorkflow2.Result(1, 24));
    assertThat(SampleWorkflow2.run(spark, tables, SampleWorkflow2.Options.nextDay()))
        .isEqualTo(new SampleWorkflow2.Result(2, 24));

    // value = 15 + ((37 day + 11 sensor + 7 reading) mod 200) / 10
    List<String> daily = rows(tables.daily(), "day, sensor");
    assertThat(daily).hasSize(8);
    assertThat(daily.subList(0, 4)).containsExactly(
        "1|sensor-1|6|20.50|24.00|22.250000",
        "1|sensor-2|6|21.60|25.10|23.350000",
        "1|sensor-3|6|22.70|26.20|24.450000",
        "1|sensor-4|6|23.80|27.30|25.550000");
    assertThat(daily.get(4)).isEqualTo("2|sensor-1|6|24.20|27.70|25.950000");
    assertThat(rows(tables.readings(), "day, sensor, reading_no").subList(0, 3)).containsExactly(
        "1|sensor-1|1|20.50", "1|sensor-1|2|21.20", "1|sensor-1|3|21.90");
  }

  @Test
  void rerunningADayReplacesItsRowsInsteadOfAddingToThem() {
    SampleWorkflow2.Tables tables = tables();
    SampleWorkflow2.run(spark, tables, SampleWorkflow2.Options.nextDay());
    List<String> readings = rows(tables.readings(), "day, sensor, reading_no");
    List<String> daily = rows(tables.daily(), "day, sensor");

    SampleWorkflow2.Result again = SampleWorkflow2.run(spark, tables, new SampleWorkflow2.Options(OptionalInt.of(1)));

    assertThat(again).isEqualTo(new SampleWorkflow2.Result(1, 24));
    assertThat(rows(tables.readings(), "day, sensor, reading_no")).isEqualTo(readings);
    assertThat(rows(tables.daily(), "day, sensor")).isEqualTo(daily);
  }

  private SampleWorkflow2.Tables tables() {
    return new SampleWorkflow2.Tables(
        TableLocation.path(dir.resolve("c/raw/workflow_2_readings").toString()),
        TableLocation.path(dir.resolve("c/main/workflow_2_daily").toString()));
  }
}
