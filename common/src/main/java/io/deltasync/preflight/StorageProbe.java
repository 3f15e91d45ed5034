package io.deltasync.preflight;

/**
 * Proves a storage location writable: writes a small probe file under it and deletes it again
 * (the Hadoop FileSystem in {@code spark.HadoopStorageProbe}). Leaves nothing behind when it
 * returns; a failure after the write tries the delete anyway.
 */
public interface StorageProbe {

  /**
   * @throws RuntimeException naming the location when the write or the delete fails, with the
   *     file system's reason
   */
  void writeAndDelete(String location);
}
