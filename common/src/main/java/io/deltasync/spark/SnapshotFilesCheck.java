package io.deltasync.spark;

import io.deltasync.clone.StagingCheck;
import io.deltasync.errors.SyncErrors;
import io.deltasync.table.TableLocation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.DeletionVectorDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * {@link StagingCheck} on open-source Delta and any Hadoop file system: the version's files from its
 * log (Delta's state reconstruction reads the log, never data), then one {@code listStatus} per
 * folder holding them.
 */
public final class SnapshotFilesCheck implements StagingCheck {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotFilesCheck.class);

  private final SparkSession spark;

  public SnapshotFilesCheck(SparkSession spark) {
    this.spark = java.util.Objects.requireNonNull(spark, "spark");
  }

  @Override
  public Optional<Damage> check(TableLocation table, long version) {
    if (!(table instanceof TableLocation.Path location)) {
      throw SyncErrors.cloneNeedsPath(table, "staging");
    }
    Configuration conf = spark.sessionState().newHadoopConf();
    Path root;
    try {
      Path given = new Path(location.uri());
      root = given.getFileSystem(conf).makeQualified(given);
    } catch (IOException e) {
      throw SyncErrors.fileSystemUnreachable(table, e);
    }
    DeltaLog log = DeltaLog.forTable(spark, root);
    Snapshot snapshot;
    List<AddFile> files;
    try {
      snapshot = log.getSnapshotAt(version, Option.empty(), Option.empty());
      files = snapshot.allFiles().collectAsList();
    } catch (RuntimeException e) {
      if (hasIoCause(e)) {
        throw SyncErrors.fileSystemUnreachable(table, e);
      }
      return Optional.of(new Damage(table, version, List.of(), Optional.of(SyncErrors.describe(e))));
    }
    snapshot.uncache();
    Map<String, FileListing.FileAndSize> expected = new LinkedHashMap<>();
    for (AddFile file : files) {
      expected.put(file.path(), new FileListing.FileAndSize(
          new Path(root, new Path(java.net.URI.create(file.path()))), file.size()));
      DeletionVectorDescriptor dv = file.deletionVector();
      if (dv != null && dv.isOnDisk()) {
        Path dvPath = dv.absolutePath(root);
        expected.put(root.toUri().relativize(dvPath.toUri()).toString(),
            new FileListing.FileAndSize(dvPath, FileListing.ANY_SIZE));
      }
    }
    List<String> absent;
    try {
      absent = new ArrayList<>(FileListing.absent(conf, expected));
    } catch (IOException e) {
      throw SyncErrors.fileSystemUnreachable(table, e);
    }
    if (absent.isEmpty()) {
      LOG.debug("Table {} version {}: all {} files present", table, version, expected.size());
      return Optional.empty();
    }
    absent.sort(null);
    LOG.warn("Table {} version {}: {} of its {} files are missing: {}", table, version,
        absent.size(), expected.size(), absent);
    return Optional.of(new Damage(table, version, absent, Optional.empty()));
  }

  /** Delta (Scala) throws the file system's IOException unchecked, sometimes wrapped. */
  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException && !(t instanceof java.io.FileNotFoundException)) {
        return true;
      }
    }
    return false;
  }
}
