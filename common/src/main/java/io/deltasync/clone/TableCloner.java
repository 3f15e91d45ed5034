package io.deltasync.clone;

import io.deltasync.table.TableLocation;

/**
 * Clones a Delta table as of a version into a target: after success, reading the target equals
 * reading the source {@code VERSION AS OF version}.
 *
 * <p>Contract (the implementations refine it in their own Javadoc):
 *
 * <ul>
 *   <li><b>Atomic.</b> The target changes in exactly one Delta commit, after every file it needs is
 *       in place. Before that commit, readers of the target see its previous state.
 *   <li><b>Incremental and idempotent.</b> Files the target already holds are not copied again.
 *       Cloning a version the target already holds copies nothing and commits nothing.
 *   <li><b>After an error</b> the target is readable exactly as before, or holds the requested
 *       version in full; never anything in between. Calling {@code clone} again with the same
 *       arguments is always safe.
 *   <li><b>Unknown outcome</b> (the commit may or may not have landed): the commit carries a
 *       transaction identifier derived from the source and its version, so a retry re-reads the
 *       target and recognises its own commit instead of applying it twice.
 * </ul>
 */
public interface TableCloner {

  /**
   * Clones {@code source} as of {@code version} into {@code target}.
   *
   * @throws io.deltasync.errors.SyncException naming the table, version or path, when the source is
   *     not a Delta table, the version does not exist or was vacuumed, or the target is not a clone
   *     of the same source (unless {@link CloneOptions#force()})
   */
  CloneResult clone(TableLocation source, long version, TableLocation target, CloneOptions options);

  default CloneResult clone(TableLocation source, long version, TableLocation target) {
    return clone(source, version, target, CloneOptions.defaults());
  }

  /**
   * The newest committed version of a Delta table.
   *
   * @throws io.deltasync.errors.SyncException when the table is not a Delta table
   */
  long latestVersion(TableLocation table);

  /**
   * The source version that {@code target} holds as a clone of {@code source}, read from the
   * target's last clone commit; empty when the target does not exist or its last clone is not of
   * this source. This is how a caller resolves an unknown outcome: re-read, then decide.
   */
  java.util.OptionalLong clonedVersion(TableLocation source, TableLocation target);
}
