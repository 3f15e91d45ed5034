package io.deltasync.samples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltasync.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event-driven sync on the two simulated workspaces, as {@code bench rpo} measures it, and the cron
 * set-up's RPO it compares with, on the bundle's two crons.
 */
class RpoBenchTest {

  /**
   * One run of the workflow in the primary, by run-now: its last task starts the sender, the sender
   * rings, the secondary's file-arrival trigger starts the receiver (nobody runs it), and the
   * secondary's tables then hold the primary's rows.
   */
  @Test
  void aWorkflowRunReachesTheSecondaryThroughItsSyncTaskAndTheReceiversTrigger(@TempDir Path dir)
      throws Exception {
    List<String> progress = new ArrayList<>();
    RpoBench.Result result =
        new RpoBench(new RpoBench.Settings(dir, 1, Duration.ofMillis(500)), progress::add).run();

    assertThat(result.json().get("runs")).isEqualTo(1);
    @SuppressWarnings("unchecked")
    RpoBench.Figures run = ((List<RpoBench.Figures>) result.json().get("per_run")).get(0);
    assertThat(run.rpo()).isEqualTo(run.triggerWait() + run.pinning() + run.copy() + run.commit()
        + run.doorbellWait() + run.apply());
    assertThat(run.doorbellWait()).isNotNegative();
    SparkSession spark = SharedSpark.spark();
    for (String table : List.of("raw/workflow_2_readings", "main/workflow_2_daily")) {
      List<Row> primary = spark.read().format("delta")
          .load(dir.resolve("primary/dr_test_catalog/" + table).toString()).collectAsList();
      assertThat(spark.read().format("delta")
          .load(dir.resolve("secondary/dr_test_catalog/" + table).toString()).collectAsList())
          .as(table).isNotEmpty().containsExactlyInAnyOrderElementsOf(primary);
    }
  }

  @Test
  void theNextTickIsTheFirstQuarterHourAtOrAfterTheInstantShiftedByTheOffset() {
    assertThat(RpoBench.nextTick(Instant.parse("2026-12-03T06:00:00Z"), 0))
        .isEqualTo(Instant.parse("2026-12-03T06:00:00Z"));
    assertThat(RpoBench.nextTick(Instant.parse("2026-12-03T06:00:00.001Z"), 0))
        .isEqualTo(Instant.parse("2026-12-03T06:15:00Z"));
    assertThat(RpoBench.nextTick(Instant.parse("2026-12-03T06:59:10Z"), 7))
        .isEqualTo(Instant.parse("2026-12-03T07:07:00Z"));
    assertThat(RpoBench.nextTick(Instant.parse("2026-12-03T06:01:10Z"), 7))
        .isEqualTo(Instant.parse("2026-12-03T06:07:00Z"));
  }

  @Test
  void underCronADataEndWaitsForTheSendersTickThenTheReceiversTick() {
    // data at 06:03:00; sender tick 06:15, done at 06:15:20; receiver tick 06:22; applied 06:22:05
    assertThat(RpoBench.cronRpo(Instant.parse("2026-12-03T06:03:00Z"), 20_000, 5_000))
        .isEqualTo((19 * 60 + 5) * 1000L);
    // a sender slower than 7 minutes misses the receiver's tick of its quarter: the next one
    assertThat(RpoBench.cronRpo(Instant.parse("2026-12-03T06:03:00Z"), 8 * 60_000, 5_000))
        .isEqualTo((34 * 60 + 5) * 1000L);
  }
}
