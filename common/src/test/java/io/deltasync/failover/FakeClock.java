package io.deltasync.failover;

import io.deltasync.sync.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when told to, and a {@link Sleeper} that moves it instead of sleeping. */
public final class FakeClock extends Clock implements Sleeper {

  private Instant now;
  public final List<Duration> sleeps = new ArrayList<>();
  private Runnable onSleep = () -> {};

  public FakeClock(Instant start) {
    this.now = start;
  }

  /** Runs {@code action} at every sleep (after the clock moved), e.g. to bring a server back. */
  public FakeClock onSleep(Runnable action) {
    this.onSleep = action;
    return this;
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    now = now.plus(duration);
    onSleep.run();
  }

  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
