package io.deltasync.spark;

/**
 * Where the portable cloner copies a clone's files: on the driver's thread pool, or on the Spark
 * executors. A job with at least {@code executorMinFiles} files or {@code executorMinBytes} bytes
 * to copy goes to the executors; smaller ones stay on the driver, where they finish before a
 * Spark job would have started its tasks.
 *
 * @param executorMinFiles the number of files from which the executors copy
 * @param executorMinBytes the number of bytes from which the executors copy
 */
public record CopyPlacement(long executorMinFiles, long executorMinBytes) {

  /**
   * The default thresholds: 2,000 files (one copy task's worth), or 1 GiB. {@code bench
   * placement} measured 2,000 files as where a Spark job's fixed cost falls to a tenth of the
   * driver's copy time on one machine (docs/cloner.md); a cluster's executors pay it back sooner.
   */
  public static final CopyPlacement DEFAULT = new CopyPlacement(2_000, 1L << 30);

  /** Every copy on the executors (tests that prove the executors copy). */
  public static final CopyPlacement EXECUTORS = new CopyPlacement(0, 0);

  /** Every copy on the driver's thread pool. */
  public static final CopyPlacement DRIVER = new CopyPlacement(Long.MAX_VALUE, Long.MAX_VALUE);

  public CopyPlacement {
    if (executorMinFiles < 0 || executorMinBytes < 0) {
      throw new IllegalArgumentException("copy placement thresholds must not be negative, got "
          + executorMinFiles + " files and " + executorMinBytes + " bytes");
    }
  }

  /** True when a copy of this many files and bytes runs on the executors. */
  public boolean onExecutors(long files, long bytes) {
    return files >= executorMinFiles || bytes >= executorMinBytes;
  }
}
