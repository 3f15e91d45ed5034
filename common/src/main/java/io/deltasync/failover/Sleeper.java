package io.deltasync.failover;

import java.time.Duration;

/** Waits between attempts; tests inject one that advances a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
