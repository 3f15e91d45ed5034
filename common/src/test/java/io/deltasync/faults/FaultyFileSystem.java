package io.deltasync.faults;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A Hadoop file system for fault tests, scheme {@code faulty}: {@code faulty:///a/b} is the local
 * file {@code /a/b}, until a test makes the disk full ({@link #failAfterBytes}: every write past a
 * budget of bytes throws {@code IOException("No space left on device")}) or the storage
 * unreachable ({@link #unreachable}: every call throws {@link ConnectException}). It deliberately
 * does not extend {@link RawLocalFileSystem}, so nothing takes a local-file short cut past it.
 *
 * <p>Register it with {@link #register} in the shared session's Hadoop configuration (both the
 * {@code FileSystem} and, for Delta's log store, the {@code AbstractFileSystem}).
 */
public final class FaultyFileSystem extends FileSystem {

  public static final String SCHEME = "faulty";
  public static final String DISK_FULL = "No space left on device";

  private static final AtomicLong BUDGET = new AtomicLong(Long.MAX_VALUE);
  private static final AtomicBoolean UNREACHABLE = new AtomicBoolean();

  private final RawLocalFileSystem local = new RawLocalFileSystem();
  private URI uri;

  /** Registers the scheme in {@code conf}. */
  public static void register(Configuration conf) {
    conf.set("fs.faulty.impl", FaultyFileSystem.class.getName());
    conf.set("fs.faulty.impl.disable.cache", "true");
    conf.set("fs.AbstractFileSystem.faulty.impl", Context.class.getName());
  }

  /** The disk is full after {@code bytes} more bytes are written. */
  public static void failAfterBytes(long bytes) {
    BUDGET.set(bytes);
  }

  public static void unreachable(boolean down) {
    UNREACHABLE.set(down);
  }

  /** Back to an ordinary local disk. */
  public static void heal() {
    BUDGET.set(Long.MAX_VALUE);
    UNREACHABLE.set(false);
  }

  /** The {@code faulty:} URI of a local path. */
  public static String uri(java.nio.file.Path path) {
    return SCHEME + "://" + path.toAbsolutePath();
  }

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    setConf(conf); // FileContext builds this class directly, not through FileSystem.get
    this.uri = URI.create(SCHEME + ":///");
    local.initialize(URI.create("file:///"), conf);
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public URI getUri() {
    return uri;
  }

  private static void reachable() throws IOException {
    if (UNREACHABLE.get()) {
      throw new ConnectException("Connection refused: the storage is unreachable (test)");
    }
  }

  private static Path toLocal(Path path) {
    return new Path("file", null, path.toUri().getPath());
  }

  private Path toFaulty(Path path) {
    return new Path(SCHEME, null, path.toUri().getPath());
  }

  private FileStatus faulty(FileStatus status) {
    status.setPath(toFaulty(status.getPath()));
    return status;
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    reachable();
    return local.open(toLocal(f), bufferSize);
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite,
      int bufferSize, short replication, long blockSize, Progressable progress)
      throws IOException {
    reachable();
    FSDataOutputStream out = local.create(toLocal(f), permission, overwrite, bufferSize,
        replication, blockSize, progress);
    return new FSDataOutputStream(new Budgeted(out), statistics);
  }

  @Override
  public FSDataOutputStream append(Path f, int bufferSize, Progressable progress)
      throws IOException {
    throw new IOException("append is not supported by " + SCHEME);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    reachable();
    return local.rename(toLocal(src), toLocal(dst));
  }

  @Override
  public boolean delete(Path f, boolean recursive) throws IOException {
    reachable();
    return local.delete(toLocal(f), recursive);
  }

  @Override
  public FileStatus[] listStatus(Path f) throws IOException {
    reachable();
    FileStatus[] statuses = local.listStatus(toLocal(f));
    for (FileStatus status : statuses) {
      faulty(status);
    }
    return statuses;
  }

  @Override
  public void setWorkingDirectory(Path dir) {
    local.setWorkingDirectory(toLocal(dir));
  }

  @Override
  public Path getWorkingDirectory() {
    return toFaulty(local.getWorkingDirectory());
  }

  @Override
  public boolean mkdirs(Path f, FsPermission permission) throws IOException {
    reachable();
    return local.mkdirs(toLocal(f), permission);
  }

  @Override
  public FileStatus getFileStatus(Path f) throws IOException {
    reachable();
    return faulty(local.getFileStatus(toLocal(f)));
  }

  /** Counts bytes against the budget; past it, the disk is full. */
  private static final class Budgeted extends FilterOutputStream {
    Budgeted(OutputStream out) {
      super(out);
    }

    private void spend(long bytes) throws IOException {
      if (BUDGET.addAndGet(-bytes) < 0) {
        BUDGET.set(0);
        throw new IOException(DISK_FULL);
      }
    }

    @Override
    public void write(int b) throws IOException {
      spend(1);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      spend(len);
      out.write(b, off, len);
    }
  }

  /** The {@code FileContext} face of the same file system (Delta's log store writes through it). */
  public static final class Context extends DelegateToFileSystem {
    public Context(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new FaultyFileSystem(), conf, SCHEME, false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1;
    }
  }
}
