package io.deltasync.sync;

import io.deltasync.errors.SyncException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a step on retryable errors with exponential backoff and jitter: attempt {@code n} (from 1)
 * waits {@code base * 2^(n-1)}, capped at {@code max}, scaled by a random factor in [0.5, 1).
 *
 * <p>Retryable: a {@link SyncException} whose kind is retryable (throttling, 5xx, I/O), an
 * {@link IOException} anywhere in the cause chain of another exception, and a Delta concurrent
 * modification (a retry re-reads the table). Permission and validation errors ({@code FATAL},
 * {@code USAGE} kinds) fail at once.
 */
public final class Retrier {

  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  private final int maxRetries;
  private final Duration base;
  private final Duration max;
  private final Sleeper sleeper;
  private final Random random;

  public Retrier(int maxRetries, Duration base, Duration max, Sleeper sleeper, Random random) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
    }
    this.maxRetries = maxRetries;
    this.base = Objects.requireNonNull(base, "base");
    this.max = Objects.requireNonNull(max, "max");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The value and the attempt that produced it. */
  public record Attempted<T>(T value, int attempts) {}

  /** A step that failed for good, after {@code attempts} attempts. */
  public static final class Exhausted extends RuntimeException {
    private final int attempts;

    Exhausted(RuntimeException cause, int attempts) {
      super(cause.getMessage(), cause);
      this.attempts = attempts;
    }

    public int attempts() {
      return attempts;
    }

    @Override
    public synchronized RuntimeException getCause() {
      return (RuntimeException) super.getCause();
    }
  }

  /** Runs {@code step}, retrying on retryable errors; throws {@link Exhausted} when it gives up. */
  public <T> Attempted<T> call(String what, Supplier<T> step) {
    int attempt = 1;
    while (true) {
      try {
        return new Attempted<>(step.get(), attempt);
      } catch (RuntimeException e) {
        if (!isRetryable(e) || attempt > maxRetries || Thread.currentThread().isInterrupted()) {
          // Interrupted: the group's time limit stopped it; a retry would only be interrupted too.
          throw new Exhausted(e, attempt);
        }
        Duration delay = delay(attempt);
        LOG.warn("{} failed (attempt {}/{}), retrying in {} ms: {}", what, attempt, maxRetries + 1,
            delay.toMillis(), io.deltasync.errors.SyncErrors.describe(e));
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new Exhausted(e, attempt);
        }
        attempt++;
      }
    }
  }

  Duration delay(int attempt) {
    long exponential = base.toMillis() << Math.min(attempt - 1, 30);
    long capped = Math.min(exponential < 0 ? Long.MAX_VALUE : exponential, max.toMillis());
    return Duration.ofMillis((long) (capped * (0.5 + random.nextDouble() * 0.5)));
  }

  public static boolean isRetryable(Throwable error) {
    if (error instanceof SyncException sync) {
      return sync.isRetryable();
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException
          || t instanceof ConcurrentModificationException) {
        return true;
      }
      if (t instanceof SyncException sync) {
        return sync.isRetryable();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
