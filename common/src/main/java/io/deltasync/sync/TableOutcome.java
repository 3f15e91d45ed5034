package io.deltasync.sync;

import io.deltasync.clone.CloneResult;
import io.deltasync.table.TableName;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What happened to one table of a group in one cycle (or, in a dry run, what would).
 *
 * @param table the primary table
 * @param secondary the registered secondary table
 * @param sourceVersion the version read: the primary's (sender) or staging's (receiver)
 * @param previousVersion the same table's version in the group's last sync point (sender) or last
 *     applied one (receiver)
 * @param stagingVersion the staging version holding the state
 * @param targetVersion the secondary table's version after applying (receiver)
 * @param bytesToCopy dry run: bytes the clone would copy; empty when unknown
 * @param cloneResult what the clone did, when it ran and succeeded
 * @param attempts attempts made (0 when not cloned)
 * @param duration wall time spent on the table
 * @param error why it failed; never a secret
 */
public record TableOutcome(
    TableName table,
    TableName secondary,
    long sourceVersion,
    OptionalLong previousVersion,
    OptionalLong stagingVersion,
    OptionalLong targetVersion,
    OptionalLong bytesToCopy,
    Optional<CloneResult> cloneResult,
    int attempts,
    Duration duration,
    Optional<String> error) {

  public TableOutcome {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(secondary, "secondary");
  }

  public boolean failed() {
    return error.isPresent();
  }

  public long copiedBytes() {
    return cloneResult.map(CloneResult::copiedFilesSize).orElse(0L);
  }
}
