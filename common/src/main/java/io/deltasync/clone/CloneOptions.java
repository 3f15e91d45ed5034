package io.deltasync.clone;

/**
 * How to clone.
 *
 * @param copyThreads files copied in parallel
 * @param force replace a target that is a Delta table but not a clone of the same source
 */
public record CloneOptions(int copyThreads, boolean force) {

  public CloneOptions {
    if (copyThreads < 1) {
      throw new IllegalArgumentException("copyThreads must be at least 1, got " + copyThreads);
    }
  }

  public static CloneOptions defaults() {
    return new CloneOptions(8, false);
  }

  public CloneOptions withForce(boolean replaceForeignTarget) {
    return new CloneOptions(copyThreads, replaceForeignTarget);
  }

  public CloneOptions withCopyThreads(int threads) {
    return new CloneOptions(threads, force);
  }
}
