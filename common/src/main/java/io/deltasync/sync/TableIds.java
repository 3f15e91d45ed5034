package io.deltasync.sync;

import io.deltasync.table.TableLocation;
import java.util.Optional;

/**
 * A Delta table's id (its metadata id, {@code DESCRIBE DETAIL}'s {@code id}): constant for the
 * table's life, new when the table is dropped and created again under the same name or path. The
 * sender records it in every row, and stages a table whose id changed again from scratch.
 */
@FunctionalInterface
public interface TableIds {

  /**
   * The table's current id; empty when this engine cannot tell.
   *
   * @throws io.deltasync.errors.SyncException when the table cannot be read
   */
  Optional<String> tableId(TableLocation table);

  /** Ids unknown: identity is not checked (sync points then record no id). */
  static TableIds unknown() {
    return table -> Optional.empty();
  }
}
