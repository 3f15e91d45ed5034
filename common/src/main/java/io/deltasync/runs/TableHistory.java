package io.deltasync.runs;

import io.deltasync.table.TableLocation;
import java.util.List;

/**
 * The commit history of Delta tables: what {@link VersionResolver} pins each table's version
 * from. Read-only; reading twice may return more commits the second time, never fewer (until
 * Delta's log cleanup drops old ones).
 */
public interface TableHistory {

  /**
   * The commits still in the table's history, newest first.
   *
   * @throws io.deltasync.errors.SyncException naming the table when it does not exist, is not a
   *     Delta table or cannot be read
   */
  List<TableCommit> commits(TableLocation table);
}
