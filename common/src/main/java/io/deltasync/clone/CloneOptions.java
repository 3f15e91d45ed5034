package io.deltasync.clone;

/**
 * How to clone.
 *
 * @param copyThreads files copied in parallel
 * @param force replace a target that is a Delta table but not a clone of the same source
 * @param verifyTargetFiles list the target's files on storage first: a file the target references
 *     that is missing (or cut short) is copied again and added again, so that a damaged target is
 *     made whole even when its log already holds the version (the sender's re-stage after the
 *     receiver recorded {@code STAGING_DAMAGED})
 */
public record CloneOptions(int copyThreads, boolean force, boolean verifyTargetFiles) {

  public CloneOptions {
    if (copyThreads < 1) {
      throw new IllegalArgumentException("copyThreads must be at least 1, got " + copyThreads);
    }
  }

  public CloneOptions(int copyThreads, boolean force) {
    this(copyThreads, force, false);
  }

  public static CloneOptions defaults() {
    return new CloneOptions(8, false);
  }

  public CloneOptions withForce(boolean replaceForeignTarget) {
    return new CloneOptions(copyThreads, replaceForeignTarget, verifyTargetFiles);
  }

  public CloneOptions withCopyThreads(int threads) {
    return new CloneOptions(threads, force, verifyTargetFiles);
  }

  /** These options, listing the target's files first and copying again those it lost. */
  public CloneOptions withTargetFilesVerified() {
    return new CloneOptions(copyThreads, force, true);
  }
}
