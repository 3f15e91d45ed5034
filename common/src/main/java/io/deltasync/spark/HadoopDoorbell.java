package io.deltasync.spark;

import io.deltasync.sync.Doorbell;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The receiver's doorbell on a Hadoop file system (local folders, ABFS, S3, GCS). */
public final class HadoopDoorbell implements Doorbell {

  private final Configuration conf;

  public HadoopDoorbell(Configuration conf) {
    this.conf = Objects.requireNonNull(conf, "conf");
  }

  @Override
  public void ring(String folder, String name, String content) {
    Path dir = new Path(folder);
    try {
      FileSystem fs = dir.getFileSystem(conf);
      try (OutputStream out = fs.create(new Path(dir, name), false)) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
      FileStatus[] rings = fs.listStatus(dir, path -> !path.getName().startsWith("."));
      Arrays.sort(rings, Comparator.comparing((FileStatus f) -> f.getPath().getName()));
      for (int i = 0; i < rings.length - KEPT; i++) {
        fs.delete(rings[i].getPath(), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot ring the receiver's doorbell in " + folder + ": "
          + e.getMessage(), e);
    }
  }
}
