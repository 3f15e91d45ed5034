package io.deltasync.preflight;

/** How one preflight check ended. */
public enum Outcome {
  /** Ready: nothing to do. */
  OK,
  /** Works today, but something differs or could not be read: look before a failover needs it. */
  WARN,
  /** A failover or the sync would fail on this: the line says what to fix. */
  FAIL
}
