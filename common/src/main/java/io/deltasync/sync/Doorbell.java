package io.deltasync.sync;

/**
 * How the sender tells the other region's receiver that a sync point waits for it: a new small
 * file in a folder of the sync location, {@code <sync location>/_deltasync/arrivals}
 * ({@link Placement#arrivals}), which the receiver job's file-arrival trigger watches. The ledger
 * stays the only truth: a ring carries no state, and a lost ring only delays the receiver until
 * the next one (the sender rings on every cycle while a sync point waits).
 *
 * <p>The folder is not the ledger's: a Databricks file-arrival trigger may not watch a path that
 * holds an external table (the ledger is one), and watches at most 10,000 files, so the folder
 * keeps only the newest rings.
 */
@FunctionalInterface
public interface Doorbell {

  /**
   * Writes one new file into {@code folder} and removes the oldest ones beyond the newest
   * {@link #KEPT}.
   *
   * @param folder the arrivals folder of the receiving region's sync location
   * @param name the new file's name, unique
   * @param content what it says (the groups waiting, for people reading the folder)
   */
  void ring(String folder, String name, String content);

  /** Rings kept in the folder. */
  int KEPT = 100;

  /** A doorbell that rings nowhere (tests of the sender alone). */
  static Doorbell none() {
    return (folder, name, content) -> { };
  }
}
