package io.deltasync.status;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What lag alerts of one workspace have told people, kept between {@code status --alert} runs (a
 * scheduled job, so nothing survives in memory): the groups currently alerted as LAG. A group
 * absent from {@link #lagging()} is not lagging, or has never been alerted.
 *
 * @param formatVersion the layout of the persisted form; {@link #CURRENT_FORMAT} when written
 * @param lagging by {@code group_name}: the groups a LAG was sent for and no RECOVERED since
 */
public record LagAlertState(int formatVersion, Map<String, Alerted> lagging) {

  /** The layout this release writes and reads. A newer one is refused, never overwritten. */
  public static final int CURRENT_FORMAT = 1;

  public LagAlertState {
    lagging = Map.copyOf(lagging);
  }

  /** No group alerted: a workspace that has never lagged, or whose state file does not exist. */
  public static LagAlertState empty() {
    return new LagAlertState(CURRENT_FORMAT, Map.of());
  }

  /**
   * One group's open LAG alert.
   *
   * @param firstAlertAt when the first LAG of this episode was sent
   * @param lastAlertAt when the last LAG (first or reminder) was sent: no other one before
   *     {@code lastAlertAt + lag_alert_mins}
   * @param stalenessSeconds how stale the secondary was at the last LAG
   * @param newestRunNotHeld the newest successful run the secondary lacked at the last LAG
   */
  public record Alerted(
      Instant firstAlertAt, Instant lastAlertAt, long stalenessSeconds, OptionalLong newestRunNotHeld) {

    public Alerted {
      Objects.requireNonNull(firstAlertAt, "firstAlertAt");
      Objects.requireNonNull(lastAlertAt, "lastAlertAt");
      Objects.requireNonNull(newestRunNotHeld, "newestRunNotHeld");
    }
  }
}
