package io.deltasync.failover;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The recovery point objective achieved for a group: the data the secondary does not hold,
 * relative to the primary's last known state.
 *
 * @param source where the primary's last known state came from
 * @param primaryLastRunId the newest successful primary run known
 * @param primaryLastRunEnd when it ended
 * @param dataLoss time between the recovered run's end and the newest successful primary run's end
 *     (zero when the recovered run is the newest)
 * @param runsNotRecovered completed (successful) primary runs newer than the recovered one
 * @param note how to read the figures, when they need it (e.g. the primary could not be asked)
 */
public record Rpo(
    Source source, OptionalLong primaryLastRunId, Optional<Instant> primaryLastRunEnd,
    Duration dataLoss, int runsNotRecovered, Optional<String> note) {

  /** Where the primary's last known state was read. */
  public enum Source {
    /** The primary's runs (Jobs API or run log) answered: the figures are exact. */
    PRIMARY_RUNS,
    /** The primary did not answer: the newest runs the sender staged, a lower bound of the loss. */
    LEDGER,
    /** Standalone tables have no runs: the loss is every change after the sync. */
    NONE
  }

  public Rpo {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(dataLoss, "dataLoss");
    Objects.requireNonNull(note, "note");
  }
}
