package io.deltasync.clone;

import io.deltasync.table.TableLocation;

/**
 * Clones a Delta table as of a version into a target: after success, reading the target equals
 * reading the source {@code VERSION AS OF version} (rows, schema with nullability, comments and
 * column-mapping metadata, partition columns, table properties and constraints), and the target's
 * protocol is at least the source's.
 *
 * <p>Contract (the implementations refine it in their own Javadoc):
 *
 * <ul>
 *   <li><b>Atomic.</b> The target's rows change in exactly one Delta commit, after every file it
 *       needs is in place. Before that commit, readers of the target see its previous state; files
 *       copied ahead of it are not referenced by the target, hence invisible. (The portable cloner
 *       may precede it with one metadata-only commit that lifts {@code delta.appendOnly} on an
 *       append-only target; the clone commit then sets the source's properties.)
 *   <li><b>Incremental and idempotent.</b> Files the target already holds (same relative path and
 *       size) are not copied again; files the version lacks become removes. Cloning the version the
 *       target already holds copies nothing and commits nothing (empty
 *       {@link CloneResult#targetVersion()}).
 *   <li><b>Any version.</b> Cloning version N when the target holds a later clone of the same
 *       source is allowed and moves the target to N: monotonicity is the caller's decision.
 *   <li><b>After an error</b> (a {@link io.deltasync.errors.SyncException} or a killed process) the
 *       target is readable exactly as before, or holds the requested version in full; never
 *       anything in between. Calling {@code clone} again with the same arguments is always safe,
 *       and does not copy again the files already copied whole.
 *   <li><b>Unknown outcome</b> (the commit may or may not have landed): the commit is recognisable
 *       (operation {@code CLONE} with the source and source version; the portable cloner also
 *       writes a transaction identifier derived from the source table's id carrying the source
 *       version). Resolve it by re-reading the target with {@link #clonedVersion}, never by
 *       cleaning up or blindly applying again.
 *   <li><b>Refusals change nothing</b>: a source that is not a Delta table, a version that does
 *       not exist or whose files were vacuumed, a target that is a non-empty Delta table but not a
 *       clone of this source (unless {@link CloneOptions#force()}; an empty Delta table is
 *       adopted), a source this cloner cannot write a clone of (an unknown table feature).
 *   <li><b>Errors say whether a retry can help.</b> A refusal that would repeat (a permission, a
 *       missing table or version, a commit Delta itself refuses) is fatal; throttling, server and
 *       I/O errors and conflicts with a concurrent writer are retryable.
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
