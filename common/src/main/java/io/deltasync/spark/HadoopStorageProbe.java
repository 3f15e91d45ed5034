package io.deltasync.spark;

import io.deltasync.preflight.StorageProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@link StorageProbe} through the Hadoop FileSystem the jobs write with: creates
 * {@code <location>/.deltasync-preflight-<uuid>} (a dot file, which Delta and Spark ignore) and
 * deletes it.
 */
public final class HadoopStorageProbe implements StorageProbe {

  private final Configuration hadoop;

  public HadoopStorageProbe(Configuration hadoop) {
    this.hadoop = Objects.requireNonNull(hadoop, "hadoop");
  }

  @Override
  public void writeAndDelete(String location) {
    Path probe = new Path(location, ".deltasync-preflight-" + UUID.randomUUID());
    FileSystem fs;
    try {
      fs = probe.getFileSystem(hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("no file system for " + location + ": " + e.getMessage(), e);
    }
    try {
      try (FSDataOutputStream out = fs.create(probe, false)) {
        out.write("deltasync preflight".getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + probe + " (" + e.getClass().getSimpleName()
          + ": " + e.getMessage() + ")", e);
    } finally {
      delete(fs, probe);
    }
  }

  private static void delete(FileSystem fs, Path probe) {
    try {
      if (fs.exists(probe) && !fs.delete(probe, false)) {
        throw new UncheckedIOException(new IOException("cannot delete " + probe));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + probe + " (" + e.getMessage() + ")", e);
    }
  }
}
