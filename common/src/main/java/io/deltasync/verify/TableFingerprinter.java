package io.deltasync.verify;

import io.deltasync.table.TableLocation;

/**
 * Reads a Delta table's {@link Fingerprint}. Read-only: it never writes to the table.
 *
 * <p>Contract: the fingerprint of a version depends only on the rows of that version and its
 * schema, never on how rows are spread over files or ordered within them, nor on the order of the
 * top-level columns (the checksum reads columns by name). Two reads of the same version give the
 * same fingerprint.
 */
public interface TableFingerprinter {

  /**
   * @throws io.deltasync.errors.SyncException naming the table and version when it cannot be read
   *     (missing table, vacuumed version, no permission)
   */
  Fingerprint fingerprint(TableLocation table, long version);

  /** The newest committed version of a Delta table. */
  long latestVersion(TableLocation table);
}
