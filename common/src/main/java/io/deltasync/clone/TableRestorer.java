package io.deltasync.clone;

import io.deltasync.table.TableLocation;

/**
 * Puts a Delta table back at one of its own earlier versions, in one new commit ({@code RESTORE
 * TABLE ... TO VERSION AS OF}, the same statement on Databricks and open-source Delta). The
 * keep-primary drill uses it to undo its writes to the secondary's tables.
 */
public interface TableRestorer {

  /**
   * Restores {@code table} to {@code version}: afterwards it holds that version's files, schema
   * and properties. Nothing is committed when {@code version} is already the latest.
   *
   * @return the table's newest version afterwards
   * @throws io.deltasync.errors.SyncException naming the table and version, when the version does
   *     not exist or its files were vacuumed, or the table cannot be written
   */
  long restore(TableLocation table, long version);
}
