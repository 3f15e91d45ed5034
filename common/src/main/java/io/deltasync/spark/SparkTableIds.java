package io.deltasync.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.deltasync.errors.SyncErrors;
import io.deltasync.sync.TableIds;
import io.deltasync.table.TableLocation;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import scala.Option;

/**
 * Table ids: a path table's from its Delta log, a catalog table's through {@code DESCRIBE DETAIL},
 * the same on open-source Delta and Databricks (where a path table's id comes from {@code DESCRIBE
 * DETAIL} too when its checksum cannot tell: the runtime does not ship open-source Delta's
 * internal classes).
 *
 * <p>A path table's id is the metadata id of its newest commit. The fast way reads it from that
 * commit's checksum file ({@code <version>.crc}, which Delta writes after each commit with the
 * table's metadata): a few existence checks in {@code _delta_log} and one small file, through one Hadoop
 * configuration for every table. A sender reads every table's id each cycle, and {@link
 * DeltaLog#forTable} copies the session's whole Hadoop configuration on each call, which costs
 * more than the read itself. When the newest commit has no checksum (not written yet, or a writer
 * that writes none) or the table uses coordinated commits (its newest commits may not be in
 * {@code _delta_log} yet), the id comes from the metadata of the latest snapshot, read by Delta.
 */
public final class SparkTableIds implements TableIds {

  /** Commits after the last checkpoint probed before leaving the read to Delta. */
  private static final int MAX_PROBES = 200;
  private static final JsonFactory JSON = new JsonFactory();

  private final SparkSession spark;
  private volatile Configuration hadoopConf;

  public SparkTableIds(SparkSession spark) {
    this.spark = Objects.requireNonNull(spark, "spark");
  }

  @Override
  public Optional<String> tableId(TableLocation table) {
    if (table instanceof TableLocation.Path path) {
      Optional<Optional<String>> fast = checksumTableId(path);
      if (fast.isPresent()) {
        return fast.get();
      }
      if (!Sparks.onDatabricks()) {
        return logTableId(path); // Databricks Runtime lacks open-source Delta's internal classes
      }
    }
    Row detail;
    try {
      detail = spark.sql("DESCRIBE DETAIL " + table.sqlIdentifier()).select("id").first();
    } catch (Exception e) {
      // Not only RuntimeException: Delta (Scala) throws the file system's IOException unchecked.
      throw SyncErrors.tableIdUnreadable(table.toString(), e);
    }
    return detail.isNullAt(0) ? Optional.empty() : Optional.of(detail.getString(0));
  }

  /**
   * The id from the newest commit's checksum file; empty when this cannot tell (then Delta reads
   * the snapshot, and gives its own error for a missing table).
   */
  private Optional<Optional<String>> checksumTableId(TableLocation.Path table) {
    try {
      Path log = new Path(new Path(table.uri()), "_delta_log");
      FileSystem fs = log.getFileSystem(conf());
      OptionalLong newest = newestCommit(fs, log);
      if (newest.isEmpty()) {
        return Optional.empty();
      }
      Path checksum = new Path(log, String.format("%020d.crc", newest.getAsLong()));
      try (InputStream in = fs.open(checksum)) {
        return metadataId(in);
      } catch (FileNotFoundException e) {
        return Optional.empty();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // Delta's read decides, and words the error
    }
  }

  /**
   * The newest commit's version: from the last checkpoint's version (or 0) up, the last commit
   * file that exists. A few probes (Delta checkpoints every 10 commits) instead of a listing of the
   * whole log; empty when the starting commit is not there (cleaned up, or no table).
   */
  private static OptionalLong newestCommit(FileSystem fs, Path log) throws IOException {
    long version = 0;
    try (InputStream in = fs.open(new Path(log, "_last_checkpoint"))) {
      OptionalLong checkpoint = longField(in, "version");
      if (checkpoint.isEmpty()) {
        return OptionalLong.empty();
      }
      version = checkpoint.getAsLong();
    } catch (FileNotFoundException e) {
      // no checkpoint yet: from the first commit
    }
    if (!fs.exists(commit(log, version))) {
      return OptionalLong.empty();
    }
    for (int probes = 0; probes < MAX_PROBES; probes++) {
      if (!fs.exists(commit(log, version + 1))) {
        return OptionalLong.of(version);
      }
      version++;
    }
    return OptionalLong.empty();
  }

  private static Path commit(Path log, long version) {
    return new Path(log, String.format("%020d.json", version));
  }

  private static OptionalLong longField(InputStream in, String name) throws IOException {
    try (JsonParser parser = JSON.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return OptionalLong.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.getCurrentName();
        JsonToken value = parser.nextToken();
        if (field.equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
          return OptionalLong.of(parser.getLongValue());
        }
        parser.skipChildren();
      }
      return OptionalLong.empty();
    }
  }

  /** The checksum's {@code metadata.id}; empty when absent or under coordinated commits. */
  private static Optional<Optional<String>> metadataId(InputStream in) throws IOException {
    try (JsonParser parser = JSON.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.getCurrentName();
        parser.nextToken();
        if (!field.equals("metadata")) {
          parser.skipChildren();
          continue;
        }
        String id = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.getCurrentName();
          JsonToken value = parser.nextToken();
          if (key.equals("id") && value == JsonToken.VALUE_STRING) {
            id = parser.getText();
          } else if (key.equals("configuration") && value == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              if (parser.getCurrentName().startsWith("delta.coordinatedCommits.")) {
                return Optional.empty();
              }
              parser.nextToken();
              parser.skipChildren();
            }
          } else {
            parser.skipChildren();
          }
        }
        return id == null ? Optional.empty() : Optional.of(Optional.of(id));
      }
      return Optional.empty();
    }
  }

  private Configuration conf() {
    Configuration conf = hadoopConf;
    if (conf == null) {
      conf = spark.sessionState().newHadoopConf();
      hadoopConf = conf;
    }
    return conf;
  }

  private Optional<String> logTableId(TableLocation.Path table) {
    Snapshot snapshot;
    try {
      snapshot = DeltaLog.forTable(spark, new Path(table.uri()))
          .update(false, Option.empty(), Option.empty());
    } catch (Exception e) {
      // Not only RuntimeException: Delta (Scala) throws the file system's IOException unchecked.
      throw SyncErrors.tableIdUnreadable(table.toString(), e);
    }
    if (snapshot.version() < 0) {
      throw SyncErrors.tableIdUnreadable(table.toString(),
          new IllegalStateException("no Delta table at " + table));
    }
    String id = snapshot.metadata().id();
    return id == null ? Optional.empty() : Optional.of(id);
  }
}
