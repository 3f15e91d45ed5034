package io.deltasync.sync;

import java.time.Duration;

/** Waits between retries; tests inject one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  /** The real one. */
  static Sleeper system() {
    return duration -> Thread.sleep(duration.toMillis());
  }
}
