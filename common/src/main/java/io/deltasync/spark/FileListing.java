package io.deltasync.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Which of a table's files are absent from storage, found by listing their folders. */
final class FileListing {

  /** A size not to compare (e.g. a deletion-vector file, whose length the log does not give). */
  static final long ANY_SIZE = -1;

  private FileListing() {}

  /**
   * The keys of {@code files} (key to its absolute path and expected size) that are absent, or
   * present with another size, in insertion order. One listing per folder, no file opened.
   *
   * @throws IOException when storage cannot be listed (never taken for absence)
   */
  static List<String> absent(Configuration conf, Map<String, FileAndSize> files) throws IOException {
    Map<Path, List<Map.Entry<String, FileAndSize>>> byFolder = new LinkedHashMap<>();
    for (Map.Entry<String, FileAndSize> file : files.entrySet()) {
      byFolder.computeIfAbsent(file.getValue().path().getParent(), f -> new ArrayList<>()).add(file);
    }
    List<String> absent = new ArrayList<>();
    for (Map.Entry<Path, List<Map.Entry<String, FileAndSize>>> folder : byFolder.entrySet()) {
      FileSystem fs = folder.getKey().getFileSystem(conf);
      Map<String, Long> listed = new HashMap<>();
      try {
        for (FileStatus status : fs.listStatus(folder.getKey())) {
          listed.put(status.getPath().getName(), status.getLen());
        }
      } catch (FileNotFoundException e) {
        // The whole folder is gone: every file of it is absent.
      }
      for (Map.Entry<String, FileAndSize> file : folder.getValue()) {
        Long length = listed.get(file.getValue().path().getName());
        long expected = file.getValue().size();
        if (length == null || (expected != ANY_SIZE && length != expected)) {
          absent.add(file.getKey());
        }
      }
    }
    return absent;
  }

  /** A file's absolute path and the size the log records ({@link #ANY_SIZE}: not compared). */
  record FileAndSize(Path path, long size) {}
}
