package io.deltasync.testing;

import io.deltasync.spark.Sparks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A {@code local-cluster[2,1,1024]} session: a standalone master and two workers inside this JVM,
 * each running one executor in its own JVM, so a task really runs away from the driver. While it
 * is open it is the session every test helper ({@link SharedSpark}) gets; closing it stops it, and
 * the next {@link SharedSpark#spark()} starts the usual local session again.
 *
 * <p>Spark launches the executors with {@code java -cp <the driver's class path>} only in its
 * testing mode ({@code spark.testing}), and then looks for a Spark build under
 * {@code spark.test.home}: an empty folder with the two directories it checks stands in for it.
 */
public final class LocalClusterSpark implements AutoCloseable {

  public static final String MASTER = "local-cluster[2,1,1024]";

  private final SparkSession session;
  private final Path home;

  private LocalClusterSpark(SparkSession session, Path home) {
    this.session = session;
    this.home = home;
  }

  /** Stops the shared local session, if any, and starts the local cluster. */
  public static LocalClusterSpark start() {
    if (SparkSession.getActiveSession().isDefined()) {
      SparkSession.getActiveSession().get().stop();
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      SparkSession.getDefaultSession().get().stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
    Path home;
    try {
      home = Files.createTempDirectory("deltasync-spark-home");
      Files.createDirectories(home.resolve("launcher/target/scala-2.12"));
      Files.createDirectories(home.resolve("assembly/target/scala-2.12/jars"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("spark.testing", "true");
    System.setProperty("spark.test.home", home.toString());
    SparkSession session = Sparks.localBuilder(MASTER)
        .config("spark.executor.memory", "768m")
        // A killed executor's tasks are retried; do not give up on the app for one lost JVM.
        .config("spark.task.maxFailures", "4")
        .getOrCreate();
    return new LocalClusterSpark(session, home);
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
