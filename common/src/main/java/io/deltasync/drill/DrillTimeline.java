package io.deltasync.drill;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a drill records as it runs, for its report: each step and when it began, when the outage
 * started, when the secondary's workflows were running again, and the rows the secondary lacks.
 * Filled by the drill's thread (and any other: every method is synchronized); read once at the end
 * through {@link #steps()} and the other accessors.
 */
public final class DrillTimeline {

  /** A step of the drill and when it began. */
  public record Step(int number, String title, Instant at) {
    public Step {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(at, "at");
    }
  }

  /** Rows of a primary table the secondary does not hold after the failover. */
  public record LostRows(String group, String table, long rows) {
    public LostRows {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(table, "table");
      if (rows < 0) {
        throw new IllegalArgumentException("rows must not be negative, got " + rows);
      }
    }
  }

  private final List<Step> steps = new ArrayList<>();
  private final List<LostRows> lost = new ArrayList<>();
  private Instant outageStart;
  private Instant secondaryRunning;

  /** Step {@code number} ({@code title}) began at {@code at}. */
  public synchronized void step(int number, String title, Instant at) {
    steps.add(new Step(number, title, at));
  }

  /** The primary counts as lost from {@code at} on; a second call changes nothing. */
  public synchronized void outageStarted(Instant at) {
    if (outageStart == null) {
      outageStart = Objects.requireNonNull(at, "at");
    }
  }

  /** The first workflow run started in the secondary at {@code at}; a second call changes nothing. */
  public synchronized void secondaryRunning(Instant at) {
    if (secondaryRunning == null) {
      secondaryRunning = Objects.requireNonNull(at, "at");
    }
  }

  /** After the failover, the secondary lacks {@code rows} rows of {@code table}'s primary state. */
  public synchronized void lost(String group, String table, long rows) {
    lost.add(new LostRows(group, table, rows));
  }

  public synchronized List<Step> steps() {
    return List.copyOf(steps);
  }

  public synchronized List<LostRows> lost() {
    return List.copyOf(lost);
  }

  public synchronized Optional<Instant> outageStart() {
    return Optional.ofNullable(outageStart);
  }

  public synchronized Optional<Instant> secondaryRunning() {
    return Optional.ofNullable(secondaryRunning);
  }
}
