package io.deltasync.samples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** How the placement bench turns its measurements into a threshold; its figures come from a run. */
class CopyPlacementBenchTest {

  private static final int[] COUNTS = {10, 100, 500, 1_000, 2_000, 5_000};

  @Test
  void theThresholdIsWhereTheExecutorsPayOffForEveryLargerTable() {
    boolean[] worthIt = {false, false, true, false, true, true};

    assertThat(CopyPlacementBench.threshold(COUNTS, worthIt)).isEqualTo(OptionalInt.of(2_000));
    assertThat(CopyPlacementBench.belowThreshold(COUNTS, worthIt)).isEqualTo(1_000);
  }

  @Test
  void executorsThatNeverPayOffGiveNoThreshold() {
    boolean[] worthIt = {true, true, true, true, true, false};

    assertThat(CopyPlacementBench.threshold(COUNTS, worthIt)).isEmpty();
    assertThat(CopyPlacementBench.belowThreshold(COUNTS, worthIt)).isEqualTo(5_000);
  }

  @Test
  void executorsThatAlwaysPayOffStartAtTheSmallestTable() {
    boolean[] worthIt = {true, true, true, true, true, true};

    assertThat(CopyPlacementBench.threshold(COUNTS, worthIt)).isEqualTo(OptionalInt.of(10));
    assertThat(CopyPlacementBench.belowThreshold(COUNTS, worthIt)).isZero();
  }
}
