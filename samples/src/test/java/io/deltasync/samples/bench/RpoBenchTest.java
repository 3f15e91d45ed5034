package io.deltasync.samples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The cron set-up's RPO that {@code bench rpo} compares with, on the bundle's two crons. */
class RpoBenchTest {

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
