package io.deltasync.spark;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.errors.SyncErrors;
import io.deltasync.errors.SyncException;
import io.deltasync.faults.FailurePoint;
import io.deltasync.faults.Faults;
import io.deltasync.table.TableLocation;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.LogSegment;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action$;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.CommitInfo;
import org.apache.spark.sql.delta.actions.DeletionVectorDescriptor;
import org.apache.spark.sql.delta.actions.FileAction;
import org.apache.spark.sql.delta.actions.InMemoryLogReplay;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.delta.actions.Protocol;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.delta.storage.ClosableIterator;
import org.apache.spark.sql.delta.util.FileNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * The cloner for open-source Delta on any Hadoop file system: copies the files of the source
 * snapshot that the target lacks, then writes one Delta commit on the target.
 *
 * <p>How it keeps the {@link TableCloner} contract:
 *
 * <ul>
 *   <li><b>Atomic.</b> Data and deletion-vector files keep their paths relative to the table root
 *       (so the copied {@code AddFile}s and their {@code 'u'} deletion-vector descriptors resolve
 *       in the target unchanged). Only files the target does not reference yet are written, each
 *       made visible under its final name only when whole; unreferenced files are invisible to
 *       readers. Then one commit holds the protocol, metadata, adds, removes and the clone marker.
 *   <li><b>Incremental.</b> A file the target already references with the same relative path and
 *       size (and, for data files, the same deletion vector) is left alone; target files the source
 *       version lacks become removes.
 *   <li><b>Resumable.</b> Before copying, a file already present whole (same size) in the target
 *       folder is kept: a re-run after a crash copies only what is missing.
 *   <li><b>Recognisable.</b> The commit's operation is {@code CLONE} (parameters: source and
 *       sourceVersion) and it carries a {@code SetTransaction} with app id {@link #appIdFor} of the
 *       source table's id and version = the source version. {@link #clonedVersion} reads it back;
 *       an unknown commit outcome is resolved by re-reading the target before reporting.
 * </ul>
 *
 * <p>The target's protocol becomes the union of its own and the source's, so never lower than the
 * source's. The target keeps its own table id; a new target gets one derived from the source's id
 * and the target's location, so that a target deleted by hand and cloned again is the same table
 * to its own clones (a secondary cloned from a staging copy that was re-created stays a clone of
 * it, and copies nothing it already holds).
 */
public final class PortableCloner implements TableCloner {

  /** The SetTransaction app id prefix of every deltasync clone commit. */
  public static final String APP_ID_PREFIX = "deltasync-clone-";

  private static final Logger LOG = LoggerFactory.getLogger(PortableCloner.class);
  private static final String DEFAULT_DELETED_FILE_RETENTION = "interval 1 week";
  private static final String DEFAULT_LOG_RETENTION = "interval 30 days";
  /** Above this much JSON log, the state is reconstructed by Spark rather than in the driver. */
  private static final long DRIVER_REPLAY_MAX_BYTES = 64L << 20;
  /** The commit tag naming the source commit (its Delta transaction id) a clone commit holds. */
  static final String SOURCE_COMMIT_TAG = "deltasync.sourceCommit";
  private static final String APPEND_ONLY = "delta.appendOnly";

  private final SparkSession spark;
  private final Faults faults;
  private final CopyPlacement placement;
  private final ExecutorCopier.TaskFault taskFault;
  private final java.util.function.Consumer<ExecutorCopier.FileCopied> onExecutorCopy;

  public PortableCloner(SparkSession spark) {
    this(spark, Faults.NONE);
  }

  /** A cloner that reaches the {@code CLONE_*} {@link FailurePoint}s through {@code faults}. */
  public PortableCloner(SparkSession spark, Faults faults) {
    this(spark, faults, CopyPlacement.DEFAULT, ExecutorCopier.TaskFault.NONE, copied -> { });
  }

  private PortableCloner(SparkSession spark, Faults faults, CopyPlacement placement,
      ExecutorCopier.TaskFault taskFault,
      java.util.function.Consumer<ExecutorCopier.FileCopied> onExecutorCopy) {
    this.spark = spark;
    this.faults = java.util.Objects.requireNonNull(faults, "faults");
    this.placement = java.util.Objects.requireNonNull(placement, "placement");
    this.taskFault = java.util.Objects.requireNonNull(taskFault, "taskFault");
    this.onExecutorCopy = java.util.Objects.requireNonNull(onExecutorCopy, "onExecutorCopy");
  }

  /** This cloner, copying on the executors or the driver as {@code where} decides. */
  public PortableCloner copyingOn(CopyPlacement where) {
    return new PortableCloner(spark, faults, where, taskFault, onExecutorCopy);
  }

  /**
   * This cloner, reaching {@code fault} in the executors' copy tasks and handing every file's
   * task output to {@code observer} on the driver (tests).
   */
  public PortableCloner observingExecutorCopies(ExecutorCopier.TaskFault fault,
      java.util.function.Consumer<ExecutorCopier.FileCopied> observer) {
    return new PortableCloner(spark, faults, placement, fault, observer);
  }

  /** The SetTransaction app id that marks a clone of the table with this Delta table id. */
  public static String appIdFor(String sourceTableId) {
    return APP_ID_PREFIX + sourceTableId;
  }

  @Override
  public long latestVersion(TableLocation table) {
    Snapshot snapshot = latest(DeltaLog.forTable(spark, root(table, "table")));
    if (snapshot.version() < 0) {
      throw SyncErrors.notADeltaTable("table", table);
    }
    return snapshot.version();
  }

  @Override
  public OptionalLong clonedVersion(TableLocation source, TableLocation target) {
    Snapshot sourceSnapshot = latest(DeltaLog.forTable(spark, root(source, "source")));
    if (sourceSnapshot.version() < 0) {
      throw SyncErrors.notADeltaTable("source", source);
    }
    Snapshot targetSnapshot = latest(DeltaLog.forTable(spark, root(target, "target")));
    if (targetSnapshot.version() < 0) {
      return OptionalLong.empty();
    }
    SetTransaction origin = newestCloneMarker(setTransactions(targetSnapshot));
    if (origin == null || !origin.appId().equals(appIdFor(sourceSnapshot.metadata().id()))) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(origin.version());
  }

  @Override
  public CloneResult clone(
      TableLocation source, long version, TableLocation target, CloneOptions options) {
    long startNanos = System.nanoTime();
    Path sourceRoot = root(source, "source");
    Path targetRoot = root(target, "target");
    DeltaLog sourceLog = DeltaLog.forTable(spark, sourceRoot);
    Snapshot sourceLatest = latest(sourceLog);
    if (sourceLatest.version() < 0) {
      throw SyncErrors.notADeltaTable("source", source);
    }
    if (version < 0 || version > sourceLatest.version()) {
      throw SyncErrors.versionDoesNotExist(source, version, sourceLatest.version());
    }
    Snapshot snapshot = snapshotAt(sourceLog, sourceLatest, version, source);
    try {
      requireWritableFeatures(snapshot, source, version);
      return clone(source, sourceRoot, sourceLatest, snapshot, version, target, targetRoot,
          options, startNanos);
    } finally {
      if (snapshot != sourceLatest) {
        snapshot.uncache(); // an older version's state is not cached by the DeltaLog: drop it
      }
    }
  }

  private CloneResult clone(TableLocation source, Path sourceRoot, Snapshot sourceLatest,
      Snapshot snapshot, long version, TableLocation target, Path targetRoot,
      CloneOptions options, long startNanos) {
    // Metadata and protocol come from the version's checksum file: no Spark job so far.
    String appId = appIdFor(snapshot.metadata().id());
    DeltaLog targetLog = DeltaLog.forTable(spark, targetRoot);
    Snapshot current = latest(targetLog);
    boolean targetExists = current.version() >= 0;
    String sourceCommit = commitTxnId(snapshot);
    if (targetExists && !options.verifyTargetFiles()
        && lastCommitIsCloneOf(targetLog, current, appId, version, sourceCommit)) {
      // The target's newest commit is our clone of this very version: it holds it, unchanged.
      long[] totals = fileTotals(snapshot, current);
      LOG.info("Target {} already holds {} version {} (its version {} is that clone): nothing to"
          + " copy or commit", target, source, version, current.version());
      return new CloneResult(totals[1], totals[0], 0, 0, 0, 0, version, OptionalLong.empty(),
          elapsed(startNanos));
    }
    List<SetTransaction> markers = targetExists ? setTransactions(current) : List.of();
    long now = System.currentTimeMillis();
    Plan plan;
    if (options.verifyTargetFiles()
        || (replayableInDriver(snapshot) && (!targetExists || replayableInDriver(current)))) {
      plan = planInDriver(snapshot, targetExists ? current : null, sourceRoot, targetRoot, source,
          version, target, options, now);
    } else {
      plan = planWithSpark(snapshot, targetExists ? current : null, sourceRoot, targetRoot,
          source, version, target, now);
    }
    if (targetExists && !options.force()) {
      requireCloneOf(newestCloneMarker(markers), plan.targetFileCount(), appId, source, target);
    }
    List<Action> adds = plan.adds();
    List<FileCopier.Copy> copies = plan.copies();
    List<Action> removes = plan.removes();
    long sourceBytes = plan.sourceBytes();
    long removedBytes = plan.removedBytes();

    Metadata metadata =
        targetMetadata(snapshot.metadata(), targetExists ? current : null, targetRoot, now);
    Protocol protocol = targetExists
        ? current.protocol().merge(seq(List.of(snapshot.protocol())))
        : snapshot.protocol();
    boolean metadataChanged = !targetExists || !metadata.equals(current.metadata());
    boolean protocolChanged = !targetExists || !protocol.equals(current.protocol());
    boolean markerChanged = !targetExists || markerVersion(markers, appId) != version;
    LOG.info("Cloning {} version {} into {} (at version {}): source {} files, {} bytes;"
            + " {} files to add, {} to copy, {} to remove",
        source, version, target, current.version(), plan.sourceFileCount(), sourceBytes,
        adds.size(), copies.size(), removes.size());
    if (adds.isEmpty() && removes.isEmpty() && !metadataChanged && !protocolChanged
        && !markerChanged) {
      LOG.info("Target {} already holds {} version {}: nothing to copy or commit", target, source,
          version);
      return new CloneResult(sourceBytes, plan.sourceFileCount(), 0, 0, 0, 0, version,
          OptionalLong.empty(), elapsed(startNanos));
    }

    FileCopier.Copied copied = copy(copies, sourceLatest, source, version, options);

    Snapshot base = current;
    if (!removes.isEmpty() && appendOnly(current.metadata())) {
      // Delta refuses data-changing removes when the snapshot a commit reads is append-only; a
      // mirror must drop what its source dropped (an OPTIMIZE of an append-only source).
      base = liftAppendOnly(targetLog, current, source, version, target, removes.size());
      metadataChanged = !metadata.equals(base.metadata());
    }
    // Pinned to the snapshot read above: a writer committing since then makes our commit fail.
    OptimisticTransaction txn = targetLog.startTransaction(Option.empty(), Option.apply(base));
    List<Action> actions = new ArrayList<>();
    if (protocolChanged) {
      // Set on the transaction, not as an action: a Metadata action makes Delta derive the
      // protocol its properties need from the transaction's protocol, and two protocol changes in
      // one commit are refused.
      txn.updateProtocol(protocol);
    }
    if (metadataChanged) {
      actions.add(metadata);
    }
    actions.add(new SetTransaction(appId, version, Option.apply(now)));
    actions.addAll(removes);
    actions.addAll(adds);
    long committed =
        commit(txn, targetLog, actions, source, version, target, appId, sourceCommit);
    CloneResult result = new CloneResult(sourceBytes, plan.sourceFileCount(), removes.size(),
        copied.files(), removedBytes, copied.bytes(), version, OptionalLong.of(committed),
        elapsed(startNanos));
    LOG.info("Cloned {} version {} into {} version {}: copied {} files ({} bytes), removed {}"
            + " files, in {} ms", source, version, target, committed, copied.files(),
        copied.bytes(), removes.size(), result.duration().toMillis());
    return result;
  }

  /**
   * What a clone does: the source files the target lacks (as adds), the files to copy for them,
   * the target's files the source version lacks (as removes), and the figures.
   */
  private record Plan(List<Action> adds, List<FileCopier.Copy> copies, List<Action> removes,
      long sourceFileCount, long sourceBytes, long removedBytes, long targetFileCount) {}

  /**
   * The plan from both file lists held in the driver: for young tables, whose checkpoint-free
   * logs are replayed in the driver, and for a re-stage that lists the target's files first.
   */
  private Plan planInDriver(Snapshot snapshot, Snapshot current, Path sourceRoot,
      Path targetRoot, TableLocation source, long version, TableLocation target,
      CloneOptions options, long now) {
    List<AddFile> targetFiles = current != null ? files(current) : List.of();
    // Files the target references but lost on storage: copied and added again (a re-stage).
    Set<String> lost = current != null && options.verifyTargetFiles()
        ? lostFiles(targetFiles, targetRoot, target, current.version()) : Set.of();
    List<AddFile> sourceFiles = files(snapshot);
    Map<String, AddFile> targetByKey = new HashMap<>();
    for (AddFile file : targetFiles) {
      targetByKey.put(key(file), file);
    }
    long sourceBytes = 0;
    List<AddFile> lacking = new ArrayList<>();
    Set<String> sourceKeys = new HashSet<>();
    for (AddFile file : sourceFiles) {
      sourceBytes += file.size();
      String path = requireRelative(file.path(), source, version);
      String key = key(file);
      sourceKeys.add(key);
      AddFile held = targetByKey.get(key);
      if (held == null || held.size() != file.size() || lost.contains(path)) {
        lacking.add(file);
      }
    }
    List<Action> removes = new ArrayList<>();
    long removedBytes = 0;
    for (AddFile file : targetFiles) {
      if (!sourceKeys.contains(key(file))) {
        removes.add(file.removeWithTimestamp(now, true));
        removedBytes += file.size();
      }
    }
    long targetVersion = current == null ? -1 : current.version();
    return finish(lacking, targetFiles, lost, removes, sourceFiles.size(), sourceBytes,
        removedBytes, targetFiles.size(), sourceRoot, targetRoot, source, version, target,
        targetVersion);
  }

  /**
   * The plan from a Spark join of the two file lists: only the files that differ (and the
   * target's files that share a path with an added one or carry a deletion vector, to decide
   * what to copy) reach the driver, so its memory is bounded by the change, not the table.
   */
  private Plan planWithSpark(Snapshot snapshot, Snapshot current, Path sourceRoot,
      Path targetRoot, TableLocation source, long version, TableLocation target, long now) {
    Dataset<AddFile> sourceFiles = snapshot.allFiles();
    Row totals = sourceFiles.agg(functions.count(functions.lit(1)),
        functions.coalesce(functions.sum("size"), functions.lit(0L))).first();
    long sourceFileCount = totals.getLong(0);
    long sourceBytes = totals.getLong(1);
    if (current == null) {
      List<AddFile> all = sourceFiles.collectAsList();
      for (AddFile file : all) {
        requireRelative(file.path(), source, version);
      }
      return finish(all, List.of(), Set.of(), List.of(), sourceFileCount, sourceBytes, 0, 0,
          sourceRoot, targetRoot, source, version, target, -1);
    }
    Dataset<AddFile> targetFiles = current.allFiles();
    Dataset<Row> s = sourceFiles.toDF().alias("s");
    Dataset<Row> t = targetFiles.toDF().alias("t");
    // Kept: the target has the same key (path and deletion vector) with the same size.
    Dataset<AddFile> lackingRows = s.join(t,
            key("s").equalTo(key("t")).and(functions.col("s.size").equalTo(functions.col("t.size"))),
            "left_anti")
        .as(sourceFiles.encoder());
    List<AddFile> lacking = lackingRows.collectAsList();
    for (AddFile file : lacking) {
      requireRelative(file.path(), source, version);
    }
    List<AddFile> gone = t.join(s, key("t").equalTo(key("s")), "left_anti")
        .as(targetFiles.encoder()).collectAsList();
    List<Action> removes = new ArrayList<>(gone.size());
    long removedBytes = 0;
    for (AddFile file : gone) {
      removes.add(file.removeWithTimestamp(now, true));
      removedBytes += file.size();
    }
    List<AddFile> referenced = lacking.isEmpty() ? List.of() : t.join(
            lackingRows.toDF().select(functions.col("path").alias("lackingPath")),
            functions.col("t.path").equalTo(functions.col("lackingPath")), "left_semi")
        .union(t.filter(functions.col("t.deletionVector").isNotNull()
            .and(functions.col("t.deletionVector.storageType").notEqual("i"))))
        .as(targetFiles.encoder()).collectAsList();
    long targetFileCount = fileCount(current);
    return finish(lacking, referenced, Set.of(), removes, sourceFileCount, sourceBytes,
        removedBytes, targetFileCount, sourceRoot, targetRoot, source, version, target,
        current.version());
  }

  /** Delta's file key (path and deletion vector's unique id) as a column of alias {@code a}. */
  private static Column key(String a) {
    Column dv = functions.col(a + ".deletionVector");
    Column offset = dv.getField("offset");
    return functions.concat(functions.col(a + ".path"), functions.when(dv.isNull(),
        functions.lit("")).otherwise(functions.concat(functions.lit("\u0000"),
        dv.getField("storageType"), dv.getField("pathOrInlineDv"),
        functions.when(offset.isNull(), functions.lit(""))
            .otherwise(functions.concat(functions.lit("@"), offset.cast("string"))))));
  }

  private static long fileCount(Snapshot snapshot) {
    Option<VersionChecksum> checksum = snapshot.checksumOpt();
    return checksum.isDefined() ? checksum.get().numFiles() : snapshot.numOfFiles();
  }

  /**
   * The adds and copies for the source files the target lacks: a data or deletion-vector file is
   * copied unless one of {@code referenced} (target files) already points at its path, or it was
   * lost.
   */
  private static Plan finish(List<AddFile> lacking, List<AddFile> referenced, Set<String> lost,
      List<Action> removes, long sourceFileCount, long sourceBytes, long removedBytes,
      long targetFileCount, Path sourceRoot, Path targetRoot, TableLocation source, long version,
      TableLocation target, long targetVersion) {
    Set<String> targetPaths = new HashSet<>();
    for (AddFile file : referenced) {
      targetPaths.add(file.path());
      String dv = dvRelativePath(file.deletionVector(), targetRoot, target, targetVersion);
      if (dv != null) {
        targetPaths.add(dv);
      }
    }
    List<Action> adds = new ArrayList<>(lacking.size());
    List<FileCopier.Copy> copies = new ArrayList<>();
    Set<String> planned = new HashSet<>();
    for (AddFile file : lacking) {
      String path = file.path();
      adds.add(asAdd(file));
      if ((!targetPaths.contains(path) || lost.contains(path)) && planned.add(path)) {
        copies.add(new FileCopier.Copy(
            resolve(sourceRoot, path), resolve(targetRoot, path), file.size()));
      }
      String dv = dvRelativePath(file.deletionVector(), sourceRoot, source, version);
      if (dv != null && (!targetPaths.contains(dv) || lost.contains(dv)) && planned.add(dv)) {
        copies.add(new FileCopier.Copy(
            resolve(sourceRoot, dv), resolve(targetRoot, dv), FileCopier.UNKNOWN_SIZE));
      }
    }
    return new Plan(adds, copies, removes, sourceFileCount, sourceBytes, removedBytes,
        targetFileCount);
  }

  /** True when {@link #files} replays the snapshot's log in the driver. */
  private static boolean replayableInDriver(Snapshot snapshot) {
    LogSegment segment = snapshot.logSegment();
    if (segment.checkpointProvider().version() >= 0) {
      return false;
    }
    long logBytes = 0;
    for (FileStatus commit : JavaConverters.seqAsJavaListConverter(segment.deltas()).asJava()) {
      logBytes += commit.getLen();
    }
    return logBytes <= DRIVER_REPLAY_MAX_BYTES;
  }

  /** The target's files (and deletion vectors) that are missing or cut short on storage. */
  private Set<String> lostFiles(
      List<AddFile> targetFiles, Path targetRoot, TableLocation target, long targetVersion) {
    Map<String, FileListing.FileAndSize> expected = new java.util.LinkedHashMap<>();
    for (AddFile file : targetFiles) {
      expected.put(file.path(), new FileListing.FileAndSize(resolve(targetRoot, file.path()),
          file.size()));
      String dv = dvRelativePath(file.deletionVector(), targetRoot, target, targetVersion);
      if (dv != null) {
        expected.put(dv, new FileListing.FileAndSize(resolve(targetRoot, dv),
            FileListing.ANY_SIZE));
      }
    }
    try {
      Set<String> lost = new HashSet<>(
          FileListing.absent(spark.sessionState().newHadoopConf(), expected));
      if (!lost.isEmpty()) {
        LOG.warn("Target {} (version {}) lost {} of its {} files; copying them again: {}", target,
            targetVersion, lost.size(), expected.size(), lost);
      }
      return lost;
    } catch (java.io.IOException e) {
      throw SyncErrors.fileSystemUnreachable(target, e);
    }
  }

  /**
   * Copies on the driver's thread pool, or on the executors when the copy is large enough (see
   * {@link CopyPlacement}). {@code CLONE_AFTER_FILE_COPIED} is reached after each file on the
   * driver's pool; for an executors' copy, on the driver as each file's result comes back.
   */
  private FileCopier.Copied copy(List<FileCopier.Copy> copies, Snapshot sourceLatest,
      TableLocation source, long version, CloneOptions options) {
    long bytes = 0;
    for (FileCopier.Copy copy : copies) {
      bytes += Math.max(0, copy.size());
    }
    try {
      if (!copies.isEmpty() && placement.onExecutors(copies.size(), bytes)) {
        ExecutorCopier.Copied copied = new ExecutorCopier(spark, options.copyThreads(), taskFault, file -> {
          onExecutorCopy.accept(file);
          if (file.copied()) {
            faults.reach(FailurePoint.CLONE_AFTER_FILE_COPIED);
          }
        }).copyAll(copies, bytes);
        return new FileCopier.Copied(copied.files(), copied.bytes());
      }
      Configuration conf = spark.sessionState().newHadoopConf();
      FileCopier copier = new FileCopier(conf, options.copyThreads(),
          copy -> faults.reach(FailurePoint.CLONE_AFTER_FILE_COPIED));
      return copier.copyAll(copies);
    } catch (FileCopier.MissingSourceFile missing) {
      Map<String, String> config = javaMap(sourceLatest.metadata().configuration());
      throw SyncErrors.versionVacuumed(source, version, missing.file.toString(),
          config.getOrDefault("delta.deletedFileRetentionDuration", DEFAULT_DELETED_FILE_RETENTION),
          config.getOrDefault("delta.logRetentionDuration", DEFAULT_LOG_RETENTION));
    }
  }

  /**
   * Commits; when the commit throws, the outcome may be unknown (the log file may have been
   * written), so the target is re-read: the clone marker at our source version in a version newer
   * than the one we read means our commit (or an identical concurrent one) landed.
   */
  private long commit(OptimisticTransaction txn, DeltaLog targetLog, List<Action> actions,
      TableLocation source, long version, TableLocation target, String appId,
      String sourceCommit) {
    faults.reach(FailurePoint.CLONE_BEFORE_COMMIT);
    txn.readWholeTable();
    scala.collection.immutable.Map<String, String> tags = sourceCommit == null
        ? scala.collection.immutable.Map$.MODULE$.empty()
        : scala.collection.immutable.Map$.MODULE$.<String, String>empty()
            .updated(SOURCE_COMMIT_TAG, sourceCommit);
    try {
      long committed =
          txn.commit(seq(actions), new DeltaOperations.Clone(source.toString(), version), tags);
      faults.reach(FailurePoint.CLONE_AFTER_COMMIT);
      return committed;
    } catch (RuntimeException failure) {
      Snapshot after;
      try {
        after = latest(targetLog);
      } catch (RuntimeException reread) {
        failure.addSuppressed(reread);
        throw SyncErrors.cloneCommitFailed(target, source, version, failure);
      }
      if (after.version() > txn.readVersion()
          && markerVersion(setTransactions(after), appId) == version) {
        LOG.warn("The commit of the clone of {} version {} into {} reported {}, but the target"
            + " holds it at version {}", source, version, target, failure.toString(),
            after.version());
        return after.version();
      }
      throw commitFailed(failure, target, source, version);
    }
  }

  /**
   * The clone's commit failure as the user sees it: a refusal by Delta itself (an unsupported
   * table feature, the protocol, an append-only table ...) is deterministic, so it is fatal and
   * names Delta's error class; a conflict with a concurrent writer or an I/O error may pass.
   */
  private static SyncException commitFailed(
      RuntimeException failure, TableLocation target, TableLocation source, long version) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.util.ConcurrentModificationException) {
        break;
      }
      if (cause instanceof org.apache.spark.SparkThrowable spark
          && spark.getErrorClass() != null && spark.getErrorClass().startsWith("DELTA_")) {
        return SyncErrors.cloneCommitRefused(target, source, version, cause.getMessage(), failure);
      }
    }
    return SyncErrors.cloneCommitFailed(target, source, version, failure);
  }

  /**
   * One metadata-only commit that sets {@code delta.appendOnly = false} on the target, so that
   * the clone commit after it may remove files; that commit then sets the source's properties
   * (hence {@code delta.appendOnly = true} again when the source has it). The rows do not change.
   * Returns the snapshot of that commit, to pin the clone commit to.
   */
  private Snapshot liftAppendOnly(DeltaLog targetLog, Snapshot current, TableLocation source,
      long version, TableLocation target, int removes) {
    Metadata held = current.metadata();
    Metadata lifted = held.copy(held.id(), held.name(), held.description(), held.format(),
        held.schemaString(), held.partitionColumns(),
        held.configuration().updated(APPEND_ONLY, "false"), held.createdTime());
    OptimisticTransaction txn = targetLog.startTransaction(Option.empty(), Option.apply(current));
    txn.readWholeTable();
    long liftedVersion;
    try {
      liftedVersion = txn.commit(seq(List.<Action>of(lifted)),
          new DeltaOperations.SetTableProperties(scala.collection.immutable.Map$.MODULE$
              .<String, String>empty().updated(APPEND_ONLY, "false")));
    } catch (RuntimeException failure) {
      throw commitFailed(failure, target, source, version);
    }
    LOG.info("Target {} is append-only and the clone of {} version {} removes {} files: set"
            + " {} = false in its version {}; the clone commit sets the source's properties",
        target, source, version, removes, APPEND_ONLY, liftedVersion);
    return targetLog.getSnapshotAt(liftedVersion, Option.empty(), Option.empty());
  }

  private static boolean appendOnly(Metadata metadata) {
    Option<String> value = metadata.configuration().get(APPEND_ONLY);
    return value.isDefined() && Boolean.parseBoolean(value.get().trim());
  }

  /**
   * Refuses, before copying anything, a source version whose protocol names a table feature this
   * Delta does not know (it may read such a table, e.g. {@code collations-preview}, a writer
   * feature, but cannot write the clone commit).
   */
  private static void requireWritableFeatures(
      Snapshot snapshot, TableLocation source, long version) {
    List<String> unknown = new ArrayList<>();
    for (String feature : JavaConverters.setAsJavaSetConverter(
        snapshot.protocol().readerAndWriterFeatureNames()).asJava()) {
      if (org.apache.spark.sql.delta.TableFeature$.MODULE$.featureNameToFeature(feature)
          .isEmpty()) {
        unknown.add(feature);
      }
    }
    if (!unknown.isEmpty()) {
      java.util.Collections.sort(unknown);
      throw SyncErrors.cloneFeatureUnsupported(source, version, unknown);
    }
  }

  private static void requireCloneOf(SetTransaction origin, long files, String appId,
      TableLocation source, TableLocation target) {
    if (origin == null) {
      if (files > 0) {
        throw SyncErrors.targetNotACloneOf(target, source,
            "it holds " + files + " data files and no deltasync clone commit");
      }
      return; // an empty table (e.g. created by CI/CD) is adopted
    }
    if (!origin.appId().equals(appId)) {
      throw SyncErrors.targetNotACloneOf(target, source,
          "it is a clone of the table with id "
              + origin.appId().substring(APP_ID_PREFIX.length())
              + ", the source's id is " + appId.substring(APP_ID_PREFIX.length()));
    }
  }

  /**
   * True when the target's newest commit carries our clone marker for this source version and
   * names, in its commit tags, the very commit of the source that made that version: that commit
   * made the target hold exactly the version's files, metadata and protocol, and nothing was
   * committed since. Reads one commit file; no Spark job.
   *
   * <p>The source commit is named by its Delta transaction id, not by a time: a source deleted and
   * re-created since (e.g. staging deleted by hand and staged again, starting over at version 0,
   * with the same table id) has other commits at the same versions, and storage times cannot be
   * compared with the clock of the driver that wrote the marker. Then compare in full.
   */
  private boolean lastCommitIsCloneOf(
      DeltaLog targetLog, Snapshot current, String appId, long version, String sourceCommit) {
    if (sourceCommit == null) {
      return false;
    }
    Path commitFile = FileNames.unsafeDeltaFile(targetLog.logPath(), current.version());
    try (ClosableIterator<String> lines =
        targetLog.store().readAsIterator(commitFile, targetLog.newDeltaHadoopConf())) {
      boolean sameSourceCommit = false;
      boolean marked = false;
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.startsWith("{\"commitInfo\"")) {
          Action action = Action$.MODULE$.fromJson(line);
          if (action instanceof CommitInfo info && info.tags().isDefined()) {
            Option<String> tag = info.tags().get().get(SOURCE_COMMIT_TAG);
            sameSourceCommit = tag.isDefined() && tag.get().equals(sourceCommit);
          }
        } else if (line.startsWith("{\"txn\"")) {
          Action action = Action$.MODULE$.fromJson(line);
          if (action instanceof SetTransaction marker && marker.appId().equals(appId)) {
            marked = marker.version() == version;
          }
        }
      }
      return marked && sameSourceCommit;
    } catch (java.io.IOException | RuntimeException e) {
      // Not decisive (e.g. the commit file was cleaned up after a checkpoint): compare in full.
      LOG.debug("Could not read the target's commit {}: {}", commitFile, e.toString());
      return false;
    }
  }

  /**
   * The table's SetTransactions: from the version's checksum file when it has them (Delta writes
   * them there on commit), else from the table state (a Spark job).
   */
  private static List<SetTransaction> setTransactions(Snapshot snapshot) {
    Option<VersionChecksum> checksum = snapshot.checksumOpt();
    scala.collection.Seq<SetTransaction> markers =
        checksum.isDefined() && checksum.get().setTransactions().isDefined()
            ? checksum.get().setTransactions().get()
            : snapshot.setTransactions();
    return JavaConverters.seqAsJavaListConverter(markers).asJava();
  }

  private static long markerVersion(List<SetTransaction> markers, String appId) {
    for (SetTransaction marker : markers) {
      if (marker.appId().equals(appId)) {
        return marker.version();
      }
    }
    return -1;
  }

  /**
   * The files of a snapshot. A log without a checkpoint (a young table) is replayed here, in the
   * driver, with Delta's own {@link InMemoryLogReplay}: reading a few JSON commits is much cheaper
   * than planning and running Spark jobs. Otherwise Delta reconstructs the state with Spark.
   */
  private static List<AddFile> files(Snapshot snapshot) {
    LogSegment segment = snapshot.logSegment();
    long logBytes = 0;
    for (FileStatus commit : JavaConverters.seqAsJavaListConverter(segment.deltas()).asJava()) {
      logBytes += commit.getLen();
    }
    if (segment.checkpointProvider().version() < 0 && logBytes <= DRIVER_REPLAY_MAX_BYTES) {
      List<AddFile> files = replayInDriver(snapshot, segment);
      if (files != null) {
        return files;
      }
    }
    return snapshot.allFiles().collectAsList();
  }

  /** The snapshot's files by replaying its JSON commits; null when a path is not relative. */
  private static List<AddFile> replayInDriver(Snapshot snapshot, LogSegment segment) {
    DeltaLog log = snapshot.deltaLog();
    Configuration conf = log.newDeltaHadoopConf();
    InMemoryLogReplay replay = new InMemoryLogReplay(0L, Option.empty());
    for (FileStatus commit : JavaConverters.seqAsJavaListConverter(segment.deltas()).asJava()) {
      List<Action> actions = new ArrayList<>();
      try (ClosableIterator<String> lines = log.store().readAsIterator(commit, conf)) {
        while (lines.hasNext()) {
          Action action = Action$.MODULE$.fromJson(lines.next());
          if (action instanceof FileAction file
              && (toUri(file.path()).isAbsolute() || file.path().startsWith("/"))) {
            return null; // Spark's replay canonicalizes absolute paths: leave those to it
          }
          actions.add(action);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      replay.append(FileNames.deltaVersion(commit), seq(actions).iterator());
    }
    return new ArrayList<>(JavaConverters.seqAsJavaListConverter(replay.allFiles()).asJava());
  }

  /**
   * {number of files, bytes} of the source version, from its checksum file, else from the
   * target's (which holds the same files), else from the table state.
   */
  private static long[] fileTotals(Snapshot source, Snapshot target) {
    for (Snapshot snapshot : List.of(source, target)) {
      Option<VersionChecksum> checksum = snapshot.checksumOpt();
      if (checksum.isDefined()) {
        return new long[] {checksum.get().numFiles(), checksum.get().tableSizeBytes()};
      }
    }
    return new long[] {source.numOfFiles(), source.sizeInBytes()};
  }

  /**
   * The Delta transaction id of the commit that made this version (from its checksum file, else
   * from the commit's {@code commitInfo}), or null when neither names it.
   */
  private static String commitTxnId(Snapshot snapshot) {
    Option<VersionChecksum> checksum = snapshot.checksumOpt();
    if (checksum.isDefined() && checksum.get().txnId().isDefined()) {
      return checksum.get().txnId().get();
    }
    DeltaLog log = snapshot.deltaLog();
    Path commitFile = FileNames.unsafeDeltaFile(log.logPath(), snapshot.version());
    try (ClosableIterator<String> lines =
        log.store().readAsIterator(commitFile, log.newDeltaHadoopConf())) {
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.startsWith("{\"commitInfo\"")
            && Action$.MODULE$.fromJson(line) instanceof CommitInfo info) {
          return info.txnId().isDefined() ? info.txnId().get() : null;
        }
      }
      return null;
    } catch (java.io.IOException | RuntimeException e) {
      LOG.debug("Could not read the commit {}: {}", commitFile, e.toString());
      return null;
    }
  }

  /** The clone marker written last: the target's origin. */
  private static SetTransaction newestCloneMarker(List<SetTransaction> markers) {
    SetTransaction newest = null;
    for (SetTransaction marker : markers) {
      if (!marker.appId().startsWith(APP_ID_PREFIX)) {
        continue;
      }
      if (newest == null || lastUpdated(marker) > lastUpdated(newest)) {
        newest = marker;
      }
    }
    return newest;
  }

  private static long lastUpdated(SetTransaction marker) {
    return marker.lastUpdated().isDefined() ? ((Number) marker.lastUpdated().get()).longValue() : 0;
  }

  private static Metadata targetMetadata(
      Metadata source, Snapshot current, Path targetRoot, long now) {
    String id = current != null ? current.metadata().id() : UUID.nameUUIDFromBytes(
        (source.id() + "\n" + targetRoot).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
    Option<Object> created = current == null
        ? Option.apply((Object) now) : current.metadata().createdTime();
    return source.copy(id, source.name(), source.description(), source.format(),
        source.schemaString(), source.partitionColumns(), source.configuration(), created);
  }

  private static AddFile asAdd(AddFile file) {
    return file.dataChange() ? file : file.copy(file.path(), file.partitionValues(), file.size(),
        file.modificationTime(), true, file.stats(), file.tags(), file.deletionVector(),
        file.baseRowId(), file.defaultRowCommitVersion(), file.clusteringProvider());
  }

  private Snapshot snapshotAt(
      DeltaLog log, Snapshot latest, long version, TableLocation source) {
    if (version == latest.version()) {
      return latest;
    }
    try {
      return log.getSnapshotAt(version, Option.empty(), Option.empty());
    } catch (RuntimeException e) {
      Map<String, String> config = javaMap(latest.metadata().configuration());
      throw SyncErrors.versionNoLongerInLog(source, version,
          config.getOrDefault("delta.logRetentionDuration", DEFAULT_LOG_RETENTION), e);
    }
  }

  private static Snapshot latest(DeltaLog log) {
    return log.update(false, Option.empty(), Option.empty());
  }

  /** The table's root folder: the path itself, or the location of a catalog table. */
  private Path root(TableLocation table, String role) {
    Path path;
    if (table instanceof TableLocation.Path location) {
      path = new Path(location.uri());
    } else {
      try {
        path = new Path(spark.sql("DESCRIBE DETAIL " + table.sqlIdentifier())
            .select("location").first().getString(0));
      } catch (Exception e) { // Spark's AnalysisException is checked in Java, thrown unchecked
        SyncException error = SyncErrors.cloneNeedsPath(table, role);
        error.addSuppressed(e);
        throw error;
      }
    }
    try {
      return path.getFileSystem(spark.sessionState().newHadoopConf()).makeQualified(path);
    } catch (java.io.IOException e) {
      throw SyncErrors.fileSystemUnreachable(table, e);
    }
  }

  /** Files are keyed by path and deletion vector, as Delta does. */
  private static String key(AddFile file) {
    DeletionVectorDescriptor dv = file.deletionVector();
    return dv == null ? file.path() : file.path() + '\u0000' + dv.uniqueId();
  }

  private static String requireRelative(String path, TableLocation table, long version) {
    if (toUri(path).isAbsolute() || path.startsWith("/")) {
      throw SyncErrors.fileOutsideTable(table, version, path);
    }
    return path;
  }

  /** The deletion-vector file's path relative to the table root, or null when none is on disk. */
  private static String dvRelativePath(
      DeletionVectorDescriptor dv, Path root, TableLocation table, long version) {
    if (dv == null || !dv.isOnDisk()) {
      return null;
    }
    if (!dv.isRelative()) {
      throw SyncErrors.fileOutsideTable(table, version, dv.absolutePath(root).toString());
    }
    URI absolute = dv.absolutePath(root).toUri();
    URI relative = root.toUri().relativize(absolute);
    if (relative.isAbsolute() || relative.equals(absolute)) {
      throw SyncErrors.fileOutsideTable(table, version, absolute.toString());
    }
    return relative.toString();
  }

  /** A relative, URI-encoded Delta path resolved against the table root. */
  private static Path resolve(Path root, String relative) {
    return new Path(root, new Path(toUri(relative)));
  }

  private static URI toUri(String path) {
    try {
      return new URI(path);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Delta file path is not a valid URI: " + path, e);
    }
  }

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static <T> scala.collection.Seq<T> seq(List<T> list) {
    return JavaConverters.asScalaBufferConverter(list).asScala();
  }

  private static <K, V> Map<K, V> javaMap(scala.collection.Map<K, V> map) {
    return JavaConverters.mapAsJavaMapConverter(map).asJava();
  }
}
