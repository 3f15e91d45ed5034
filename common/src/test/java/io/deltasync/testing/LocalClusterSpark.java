package io.deltasync.testing;

import io.deltasync.spark.Sparks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A {@code local-cluster[2,1,1024]} session ({@link Sparks#localCluster}): a standalone master and
 * two workers inside this JVM, each running one executor in its own JVM, so a task really runs
 * away from the driver. While it is open it is the session every test helper
 * ({@link SharedSpark}) gets; closing it stops it, and the next {@link SharedSpark#spark()} starts
 * the usual local session again.
 */
public final class LocalClusterSpark implements AutoCloseable {


  private final SparkSession session;
  private final Path home;

  private LocalClusterSpark(SparkSession session, Path home) {
    this.session = session;
    this.home = home;
  }

  /** Stops the shared local session, if any, and starts the local cluster. */
  public static LocalClusterSpark start() {
    Path home;
    try {
      home = Files.createTempDirectory("deltasync-spark-home");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new LocalClusterSpark(Sparks.localCluster(2, 1024, "768m", home), home);
  }

  public SparkSession session() {
    return session;
  }

  @Override
  public void close() {
    session.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    System.clearProperty("spark.testing");
    System.clearProperty("spark.test.home");
    try (var files = Files.walk(home)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
