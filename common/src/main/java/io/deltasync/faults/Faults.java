package io.deltasync.faults;

/**
 * Failure injection: the sync engine calls {@link #reach} at every {@link FailurePoint} it passes.
 * Production uses {@link #NONE}, a no-op; tests pass an implementation that throws, waits on a latch
 * or halts the JVM at a chosen point.
 *
 * <p>{@code reach} may be called from several threads at once (the cloner copies files in
 * parallel); an implementation that counts must be thread-safe. A {@link RuntimeException} thrown
 * by {@code reach} propagates as a failure of the step at that point.
 */
@FunctionalInterface
public interface Faults {

  /** Injects nothing. */
  Faults NONE = point -> { };

  /** Called when the engine reaches {@code point}. */
  void reach(FailurePoint point);
}
