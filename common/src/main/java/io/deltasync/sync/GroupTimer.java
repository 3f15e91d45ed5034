package io.deltasync.sync;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts the clock of one group's time limit ({@code group_timeout_mins}). Tests inject one that
 * expires a chosen group when the test says so, instead of waiting.
 */
@FunctionalInterface
public interface GroupTimer {

  /** A started limit; closing it before it expired cancels it. */
  interface Started extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Calls {@code expire} once {@code limit} has passed, unless the returned handle is closed first.
   * {@code expire} runs on another thread than the group's.
   */
  Started start(String workspace, String group, Duration limit, Runnable expire);

  /** The real clock: one shared daemon thread fires every expired limit. */
  static GroupTimer system() {
    return SystemTimer.INSTANCE;
  }

  /** The scheduler behind {@link #system()}. */
  final class SystemTimer implements GroupTimer {
    static final SystemTimer INSTANCE = new SystemTimer();
    private final ScheduledExecutorService scheduler;

    private SystemTimer() {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = Executors.defaultThreadFactory().newThread(r);
        thread.setName("deltasync-group-timer");
        thread.setDaemon(true);
        return thread;
      });
      executor.setRemoveOnCancelPolicy(true);
      this.scheduler = executor;
    }

    @Override
    public Started start(String workspace, String group, Duration limit, Runnable expire) {
      ScheduledFuture<?> scheduled =
          scheduler.schedule(expire, limit.toMillis(), TimeUnit.MILLISECONDS);
      return () -> scheduled.cancel(false);
    }
  }
}
