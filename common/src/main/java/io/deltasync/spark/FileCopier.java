package io.deltasync.spark;

import io.deltasync.errors.SyncErrors;
import io.deltasync.errors.SyncException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies files between Hadoop file systems in parallel, so that each file appears at its final
 * name only when whole: through a temporary sibling and a rename where renames are atomic and
 * cheap, directly to the final name on object stores (where an upload becomes visible only when
 * complete). Logs progress (files and bytes done of total, rate) every few seconds.
 */
final class FileCopier {

  private static final Logger LOG = LoggerFactory.getLogger(FileCopier.class);
  private static final Set<String> OBJECT_STORES = Set.of("s3", "s3a", "s3n", "gs", "oss");
  private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;
  private static final int BUFFER = 1 << 20;

  /**
   * One file to copy unless the destination already holds it whole.
   *
   * @param size the source file's length, or {@link #UNKNOWN_SIZE} to read it from the source
   */
  record Copy(Path from, Path to, long size) {}

  /** What {@link #copyAll} did. */
  record Copied(long files, long bytes) {}

  static final long UNKNOWN_SIZE = -1;

  /** Observes copies; tests use it to inject failures. */
  interface Listener {
    void copied(Copy copy);
  }

  private final Configuration hadoopConf;
  private final int threads;
  private final Listener listener;

  FileCopier(Configuration hadoopConf, int threads, Listener listener) {
    this.hadoopConf = hadoopConf;
    this.threads = threads;
    this.listener = listener;
  }

  /**
   * Copies every file whose destination does not already exist with the source's length (so a
   * re-run after a crash copies only what is missing); on the first failure stops the rest and
   * throws. A missing source file is reported as {@link MissingSourceFile}.
   */
  Copied copyAll(List<Copy> copies) {
    if (copies.isEmpty()) {
      return new Copied(0, 0);
    }
    long totalBytes = copies.stream().mapToLong(copy -> Math.max(0, copy.size())).sum();
    Progress progress = new Progress(copies.size(), totalBytes);
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.min(threads, copies.size()), runnable -> {
          Thread thread = new Thread(runnable, "deltasync-copy");
          thread.setDaemon(true);
          return thread;
        });
    try {
      List<Future<?>> futures = new ArrayList<>(copies.size());
      java.util.concurrent.atomic.AtomicBoolean failed =
          new java.util.concurrent.atomic.AtomicBoolean();
      for (Copy copy : copies) {
        futures.add(pool.submit(() -> {
          if (failed.get()) {
            return null; // stop at the first failure: no more copies start
          }
          try {
            progress.done(copyIfMissing(copy));
            return null;
          } catch (RuntimeException | Error e) {
            failed.set(true);
            throw e;
          }
        }));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          pool.shutdownNow();
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          pool.shutdownNow();
          throw new SyncException(SyncException.Kind.RETRYABLE,
              "The clone was interrupted while copying; the target table is unchanged", e);
        }
      }
      progress.finish();
      return new Copied(progress.copiedFiles.get(), progress.bytes.get());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Returns the bytes copied, -1 when the destination already held the file whole. */
  private long copyIfMissing(Copy copy) {
    long size = copyIfMissing(hadoopConf, copy, NO_HOOK);
    if (size >= 0) {
      listener.copied(copy);
    }
    return size;
  }

  /** Called with the temporary file written whole, before the rename commits it. */
  interface BeforeCommit {
    void written(Path temporary) throws IOException;
  }

  static final BeforeCommit NO_HOOK = temporary -> { };

  /**
   * Copies one file unless the destination already holds it whole; returns the bytes copied, -1
   * when nothing was copied. The temporary name is unique per call, so two attempts at the same
   * file (a retried or speculative Spark task, two clones racing) never share one; the rename is
   * the commit, and a failed attempt deletes its temporary file.
   */
  static long copyIfMissing(Configuration hadoopConf, Copy copy, BeforeCommit beforeCommit) {
    try {
      FileSystem fromFs = raw(copy.from().getFileSystem(hadoopConf));
      FileSystem toFs = raw(copy.to().getFileSystem(hadoopConf));
      long size = copy.size() == UNKNOWN_SIZE
          ? fromFs.getFileStatus(copy.from()).getLen() : copy.size();
      if (lengthOrMissing(toFs, copy.to()) == size) {
        LOG.debug("Skipping {}: the target already holds it whole ({} bytes)", copy.to(), size);
        return -1;
      }
      boolean viaRename = !OBJECT_STORES.contains(scheme(toFs));
      Path written = viaRename
          ? new Path(copy.to().getParent(), "." + copy.to().getName() + "."
              + java.util.UUID.randomUUID() + ".deltasync-tmp")
          : copy.to();
      try {
        if (fromFs instanceof RawLocalFileSystem fromLocal
            && toFs instanceof RawLocalFileSystem toLocal) {
          // Local to local: let the JDK (and the kernel) copy.
          java.nio.file.Path target = Paths.get(toLocal.pathToFile(written).toURI());
          Files.createDirectories(target.getParent());
          Files.copy(Paths.get(fromLocal.pathToFile(copy.from()).toURI()),
              target, StandardCopyOption.REPLACE_EXISTING);
        } else {
          try (InputStream in = fromFs.open(copy.from(), BUFFER);
               OutputStream out = toFs.create(written, true, BUFFER)) {
            in.transferTo(out);
          }
        }
        beforeCommit.written(written);
        if (viaRename) {
          if (toFs.exists(copy.to())) {
            toFs.delete(copy.to(), false);
          }
          if (!toFs.rename(written, copy.to())) {
            throw new IOException("rename of " + written + " to " + copy.to() + " returned false");
          }
        }
      } catch (IOException | RuntimeException e) {
        if (viaRename) {
          deleteQuietly(toFs, written);
        }
        throw e;
      }
      return size;
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw new MissingSourceFile(copy.from(), e);
    } catch (IOException e) {
      throw SyncErrors.cloneCopyFailed(copy.from().toString(), copy.to().toString(), e);
    }
  }

  private static void deleteQuietly(FileSystem fs, Path temporary) {
    try {
      fs.delete(temporary, false);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not delete the temporary file {} of a failed copy: {}", temporary,
          e.toString());
    }
  }

  private static long lengthOrMissing(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path).getLen();
    } catch (FileNotFoundException e) {
      return -1;
    }
  }

  private static String scheme(FileSystem fs) {
    return fs.getUri().getScheme() == null ? "file" : fs.getUri().getScheme().toLowerCase(Locale.ROOT);
  }

  /** The local file system without its checksum layer: no .crc side files, no double reads. */
  static FileSystem raw(FileSystem fs) {
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /** A source file vanished (vacuumed) during or before the copy. */
  static final class MissingSourceFile extends RuntimeException {
    final Path file;

    MissingSourceFile(Path file, Throwable cause) {
      super("missing " + file, cause);
      this.file = file;
    }
  }

  private static final class Progress {
    private final int totalFiles;
    private final long totalBytes;
    private final long startNanos = System.nanoTime();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong copiedFiles = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private long lastLogNanos = startNanos;

    Progress(int totalFiles, long totalBytes) {
      this.totalFiles = totalFiles;
      this.totalBytes = totalBytes;
    }

    /** Counts a file done; {@code size} is -1 for a file that needed no copy. */
    void done(long size) {
      long doneFiles = files.incrementAndGet();
      if (size >= 0) {
        copiedFiles.incrementAndGet();
      }
      long doneBytes = bytes.addAndGet(Math.max(0, size));
      long now = System.nanoTime();
      synchronized (this) {
        if (now - lastLogNanos < PROGRESS_EVERY_NANOS) {
          return;
        }
        lastLogNanos = now;
      }
      LOG.info("Copy progress: {} of {} files done, {} of {} bytes copied, {} MiB/s",
          doneFiles, totalFiles, doneBytes, totalBytes, rate(doneBytes, now));
    }

    void finish() {
      long now = System.nanoTime();
      LOG.info("Copied {} of {} files ({} bytes) in {} ms, {} MiB/s",
          copiedFiles.get(), files.get(), bytes.get(), (now - startNanos) / 1_000_000, rate(bytes.get(), now));
    }

    private String rate(long doneBytes, long now) {
      double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
      return String.format(Locale.ROOT, "%.1f", doneBytes / seconds / (1 << 20));
    }
  }
}
