package io.deltasync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.azure.NativeAzureFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Hadoop's wasb FileSystem against Azurite: the object-store behaviour the cloner relies on. */
@ExtendWith(Azurite.class)
class AzuriteFileSystemTest {

  private static void write(FileSystem fs, Path path, String text) throws IOException {
    try (FSDataOutputStream out = fs.create(path, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String read(FileSystem fs, Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String[] names(FileStatus[] statuses) {
    return Arrays.stream(statuses).map(s -> s.getPath().getName()).sorted().toArray(String[]::new);
  }

  @Test
  void bothRegionContainersExistAndAreSeparate(Azurite.Server azurite) throws Exception {
    String primaryRoot = azurite.newRoot(Azurite.PRIMARY);
    String secondaryRoot = primaryRoot.replace("wasb://primary@", "wasb://secondary@");
    try (FileSystem primary = FileSystem.newInstance(URI.create(primaryRoot), azurite.hadoopConf());
         FileSystem secondary =
             FileSystem.newInstance(URI.create(secondaryRoot), azurite.hadoopConf())) {
      assertThat(primary).isInstanceOf(NativeAzureFileSystem.class);
      write(primary, new Path(primaryRoot + "/only-in-primary.txt"), "p");

      assertThat(primary.exists(new Path(primaryRoot + "/only-in-primary.txt"))).isTrue();
      assertThat(secondary.exists(new Path(secondaryRoot + "/only-in-primary.txt"))).isFalse();
      assertThat(primary.getUri()).hasToString(
          "wasb://primary@devstoreaccount1.blob.core.windows.net");
      assertThat(secondary.getUri()).hasToString(
          "wasb://secondary@devstoreaccount1.blob.core.windows.net");
    }
  }

  @Test
  void writesListsRenamesAndDeletes(Azurite.Server azurite) throws Exception {
    String root = azurite.newRoot(Azurite.SECONDARY);
    try (FileSystem fs = FileSystem.newInstance(URI.create(root), azurite.hadoopConf())) {
      Path dir = new Path(root + "/staging/t1");
      write(fs, new Path(dir, "part-0000.parquet"), "zero");
      write(fs, new Path(dir, "part-0001.parquet"), "one");
      write(fs, new Path(dir, "_delta_log/00000000000000000000.json"), "{\"commitInfo\":{}}");

      assertThat(names(fs.listStatus(dir)))
          .containsExactly("_delta_log", "part-0000.parquet", "part-0001.parquet");
      // Listed paths are the paths written (wasb parses Azurite's path-style URIs correctly).
      assertThat(Arrays.stream(fs.listStatus(dir)).map(s -> s.getPath().toString()).sorted())
          .containsExactly(root + "/staging/t1/_delta_log", root + "/staging/t1/part-0000.parquet",
              root + "/staging/t1/part-0001.parquet");
      assertThat(fs.getFileStatus(new Path(dir, "part-0001.parquet")).getLen()).isEqualTo(3);
      assertThat(fs.getFileStatus(new Path(dir, "_delta_log")).isDirectory()).isTrue();

      // A file rename (copy + delete underneath) keeps the content; the source is gone.
      Path renamed = new Path(dir, "part-0001.renamed");
      assertThat(fs.rename(new Path(dir, "part-0001.parquet"), renamed)).isTrue();
      assertThat(fs.exists(new Path(dir, "part-0001.parquet"))).isFalse();
      assertThat(read(fs, renamed)).isEqualTo("one");

      // Renaming onto an existing file is refused, and both files are left as they were.
      assertThat(fs.rename(renamed, new Path(dir, "part-0000.parquet"))).isFalse();
      assertThat(read(fs, new Path(dir, "part-0000.parquet"))).isEqualTo("zero");
      assertThat(read(fs, renamed)).isEqualTo("one");

      // A folder rename moves everything below it.
      Path moved = new Path(root + "/applied/t1");
      fs.mkdirs(moved.getParent());
      assertThat(fs.rename(dir, moved)).isTrue();
      assertThat(fs.exists(dir)).isFalse();
      assertThat(names(fs.listStatus(moved)))
          .containsExactly("_delta_log", "part-0000.parquet", "part-0001.renamed");
      assertThat(read(fs, new Path(moved, "_delta_log/00000000000000000000.json")))
          .isEqualTo("{\"commitInfo\":{}}");

      // create(overwrite=false) on an existing file fails: the primitive a log store needs.
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> write(fs, new Path(moved, "part-0000.parquet"), "again"))
          .isInstanceOf(IOException.class);
      assertThat(read(fs, new Path(moved, "part-0000.parquet"))).isEqualTo("zero");

      assertThat(fs.delete(new Path(moved, "part-0000.parquet"), false)).isTrue();
      assertThat(names(fs.listStatus(moved))).containsExactly("_delta_log", "part-0001.renamed");
      assertThat(fs.delete(new Path(root), true)).isTrue();
      assertThat(fs.exists(new Path(root))).isFalse();
      assertThat(fs.exists(new Path(root + "/applied/t1/part-0001.renamed"))).isFalse();
    }
  }
}
