package io.deltasync.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import com.microsoft.azure.storage.StorageCredentialsAccountAndKey;
import com.microsoft.azure.storage.StorageException;
import com.microsoft.azure.storage.blob.CloudBlobClient;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.azure.AzuriteWasb;
import org.apache.hadoop.fs.azure.AzuriteWasbFileSystem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Azure Blob API for contract tests: Azurite, installed from the npm registry by the tests
 * themselves, started once per test JVM on a free loopback port, reached through Hadoop 3.3.4's
 * {@code wasb://} with one container per region ({@value #PRIMARY}, {@value #SECONDARY}).
 *
 * <pre>{@code
 * @ExtendWith(Azurite.class)
 * class MyAzuriteTest {
 *   @Test void works(Azurite.Server azurite) {
 *     azurite.configure(SharedSpark.spark().sparkContext().hadoopConfiguration());
 *     String root = azurite.newRoot(Azurite.PRIMARY);   // wasb://primary@devstoreaccount1.../<uuid>
 *   }
 * }
 * }</pre>
 *
 * <p>Set-up, in order: Azurite 3 is installed with {@code npm install --prefix
 * <repo>/.deltasync/azurite azurite@3} unless already there (override the folder with {@code
 * -Ddeltasync.azurite.dir} or {@code DELTASYNC_AZURITE_DIR}); {@code azurite-blob} starts on
 * 127.0.0.1 with its data in a temporary folder, telemetry off; the extension waits for it to say
 * it listens and to answer HTTP; both containers are created and checked through wasb. The server stops when the JVM's
 * test plan ends (and on JVM exit at the latest), and its data folder is deleted.
 *
 * <p>If npm, node or the registry is unavailable the tests <b>fail</b> with the reason. Only
 * {@code DELTASYNC_SKIP_AZURITE=1} skips them (reported as skipped, with that reason).
 */
public final class Azurite implements BeforeAllCallback, ParameterResolver {

  public static final String ACCOUNT = "devstoreaccount1";
  /** The wasb account host; wasb derives the account name {@value #ACCOUNT} from it. */
  public static final String ACCOUNT_HOST = ACCOUNT + ".blob.core.windows.net";
  /** Azurite's well-known development key (public, the same on every machine). */
  public static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  public static final String PRIMARY = "primary";
  public static final String SECONDARY = "secondary";
  public static final String SKIP_ENV = "DELTASYNC_SKIP_AZURITE";
  static final String PACKAGE = "azurite@3";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(Azurite.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Server.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
      throws ParameterResolutionException {
    return server(context);
  }

  private static Server server(ExtensionContext context) {
    Assumptions.assumeFalse("1".equals(System.getenv(SKIP_ENV)),
        SKIP_ENV + "=1: Azurite contract tests skipped on request");
    // The root store lives as long as the test plan; it closes the server at the end.
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(Server.class, k -> Server.start(), Server.class);
  }

  /** A running Azurite blob service and how Hadoop reaches it. */
  public static final class Server implements ExtensionContext.Store.CloseableResource {

    private final Process process;
    private final int port;
    private final Path location;
    private final Thread shutdownHook;

    private Server(Process process, int port, Path location) {
      this.process = process;
      this.port = port;
      this.location = location;
      this.shutdownHook = new Thread(process::destroyForcibly, "azurite-stop");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static Server start() {
      Path bin = install();
      Path location;
      int port;
      try {
        location = Files.createTempDirectory("deltasync-azurite-");
        port = freePort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Process process;
      try {
        process = new ProcessBuilder(bin.toString(),
            "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
            "--location", location.toString(),
            "--skipApiVersionCheck", "--loose", "--silent",
            "--disableTelemetry", "--disableProductStyleUrl")
            .redirectErrorStream(true)
            .start();
      } catch (IOException e) {
        throw new IllegalStateException("Azurite could not be started from " + bin + ": "
            + e.getMessage() + ". Delete " + bin.getParent().getParent().getParent()
            + " to reinstall it, or set " + SKIP_ENV + "=1 to skip the Azurite tests", e);
      }
      Server server = new Server(process, port, location);
      try {
        server.awaitListening();
        server.createContainers();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    }

    /** The blob service's port on 127.0.0.1. */
    public int port() {
      return port;
    }

    /** The account URL, {@code http://127.0.0.1:<port>/devstoreaccount1}. */
    public String blobEndpoint() {
      return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /**
     * What Hadoop needs to reach Azurite through {@code wasb://}: the account host declared as the
     * storage emulator (so wasb uses the well-known development key and path-style URIs), and
     * {@code fs.wasb.impl} = {@link AzuriteWasbFileSystem}, which points hadoop-azure's blob client
     * at this server's port (3.3.4 hard-codes port 10000 for the emulator; see that class).
     */
    public Map<String, String> hadoopSettings() {
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("fs.azure.storage.emulator.account.name", ACCOUNT_HOST);
      settings.put("fs.wasb.impl", AzuriteWasbFileSystem.class.getName());
      settings.put("fs.AbstractFileSystem.wasb.impl", AzuriteWasb.class.getName());
      settings.put(AzuriteWasbFileSystem.ENDPOINT_KEY, blobEndpoint());
      settings.put("fs.azure.skip.metrics", "true");
      // The default (4 MiB blocks, 15 retries with back-off up to 90 s) would make a test that
      // hits a genuine error wait minutes before failing.
      settings.put("fs.azure.io.retry.max.retries", "3");
      settings.put("fs.azure.io.retry.max.backoff.interval", "2000");
      return Map.copyOf(settings);
    }

    /** Puts {@link #hadoopSettings()} into {@code conf}, e.g. the shared Spark session's. */
    public Configuration configure(Configuration conf) {
      hadoopSettings().forEach(conf::set);
      return conf;
    }

    /** A new Hadoop configuration with {@link #hadoopSettings()}. */
    public Configuration hadoopConf() {
      return configure(new Configuration());
    }

    /** {@code wasb://<container>@devstoreaccount1.blob.core.windows.net/<path>}. */
    public String uri(String container, String path) {
      String relative = path.startsWith("/") ? path.substring(1) : path;
      return "wasb://" + container + "@" + ACCOUNT_HOST + "/" + relative;
    }

    /** A fresh, empty folder in a region's container, for one test. */
    public String newRoot(String container) {
      return uri(container, "t-" + UUID.randomUUID());
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to; nothing to remove.
      }
      deleteRecursively(location);
    }

    /** Waits, without sleeping, for Azurite to print that it listens, then for an HTTP answer. */
    private void awaitListening() {
      Deque<String> output = new ArrayDeque<>();
      CompletableFuture<Boolean> listening = new CompletableFuture<>();
      // One reader for the process's whole life: it keeps the pipe drained (so Azurite never
      // blocks on it) and owns the stream. (Handing the reader to a second thread while this one
      // closed it could deadlock: close() waits for the lock a blocked readLine() holds.)
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            synchronized (output) {
              output.addLast(line);
              if (output.size() > 20) {
                output.removeFirst();
              }
            }
            if (line.contains("successfully listens")) {
              listening.complete(true);
            }
          }
        } catch (IOException e) {
          // the process ended
        }
        listening.complete(false);
      }, "azurite-output");
      reader.setDaemon(true);
      reader.start();
      boolean up;
      try {
        up = listening.get(60, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        up = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for Azurite", e);
      } catch (ExecutionException e) {
        up = false;
      }
      if (!up) {
        String tail;
        synchronized (output) {
          tail = String.join(System.lineSeparator(), output);
        }
        throw new IllegalStateException("Azurite did not start listening on 127.0.0.1:" + port
            + " within 60 s" + (process.isAlive() ? "" : " (it exited with " + exitValue() + ")")
            + ". Its output:" + System.lineSeparator() + tail);
      }
      int status = httpStatus(blobEndpoint() + "?comp=list");
      // Unsigned requests are refused (403): that is an answer from the blob service.
      if (status != 403 && status != 200) {
        throw new IllegalStateException("Azurite on port " + port + " answered HTTP " + status
            + " to an account listing; expected 403 (unsigned) or 200");
      }
    }

    private String exitValue() {
      try {
        return Integer.toString(process.exitValue());
      } catch (IllegalThreadStateException e) {
        return "?";
      }
    }

    /**
     * Creates the region containers with the Azure Storage SDK that wasb wraps (in emulator mode
     * wasb connects without account credentials and will not create a container), then checks
     * that wasb sees each one by writing and deleting a marker through it.
     */
    private void createContainers() {
      Configuration conf = hadoopConf();
      for (String container : List.of(PRIMARY, SECONDARY)) {
        URI root = URI.create(uri(container, ""));
        try {
          CloudBlobClient client = new CloudBlobClient(URI.create(blobEndpoint()),
              new StorageCredentialsAccountAndKey(ACCOUNT, ACCOUNT_KEY));
          client.getContainerReference(container).createIfNotExists();
          try (FileSystem fs = FileSystem.newInstance(root, conf)) {
            org.apache.hadoop.fs.Path marker =
                new org.apache.hadoop.fs.Path(root.resolve("/_azurite"));
            fs.mkdirs(marker);
            if (!fs.exists(marker)) {
              throw new IllegalStateException("wasb cannot see container " + container
                  + " on Azurite at " + blobEndpoint());
            }
            fs.delete(marker, true);
          }
        } catch (IOException | StorageException | java.net.URISyntaxException e) {
          throw new IllegalStateException("Container " + container + " could not be created on"
              + " Azurite at " + blobEndpoint() + ": " + e.getMessage(), e);
        }
      }
    }

    private static int httpStatus(String url) {
      try {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        try {
          return connection.getResponseCode();
        } finally {
          connection.disconnect();
        }
      } catch (IOException e) {
        throw new IllegalStateException("Azurite does not answer at " + url + ": " + e, e);
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Installation

  /** The {@code azurite-blob} launcher, installed from the npm registry if missing. */
  static Path install() {
    String npm = System.getProperty("deltasync.azurite.npm", "npm");
    return install(installDir(), npm);
  }

  /** As {@link #install()}, into {@code dir} with the given npm executable. */
  static Path install(Path dir, String npm) {
    Path bin = dir.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
    if (Files.isExecutable(bin)) {
      return bin;
    }
    try {
      Files.createDirectories(dir);
      // Two test JVMs of one checkout must not run npm into the same folder at once.
      try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          if (!Files.isExecutable(bin)) {
            runNpmInstall(dir, npm);
          }
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Azurite could not be installed into " + dir + ": "
          + e.getMessage() + ". Set " + SKIP_ENV + "=1 to skip the Azurite tests", e);
    }
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException("npm installed " + PACKAGE + " into " + dir
          + " but " + bin + " is missing: delete " + dir + " and run the tests again");
    }
    return bin;
  }

  private static void runNpmInstall(Path dir, String npmExecutable) throws IOException {
    List<String> command = new ArrayList<>(List.of(npmExecutable, "install", "--prefix", dir.toString(),
        "--no-audit", "--no-fund", "--loglevel=error", PACKAGE));
    Path log = dir.resolve("npm-install.log");
    Process npm;
    try {
      npm = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("Azurite tests need npm (Node.js) to install " + PACKAGE
          + ", and npm could not be run: " + e.getMessage() + ". Install Node.js 18+ with npm,"
          + " or set " + SKIP_ENV + "=1 to skip the Azurite tests", e);
    }
    int exit;
    try {
      if (!npm.waitFor(10, TimeUnit.MINUTES)) {
        npm.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within 10"
            + " minutes. Is the npm registry reachable? Or set " + SKIP_ENV + "=1 to skip the"
            + " Azurite tests. Its output is in " + log);
      }
      exit = npm.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      npm.destroyForcibly();
      throw new IllegalStateException("Interrupted while installing Azurite", e);
    }
    if (exit != 0) {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String tail = String.join(System.lineSeparator(),
          lines.subList(Math.max(0, lines.size() - 15), lines.size()));
      throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exit
          + ": the npm registry may be unreachable. Make it reachable, or set " + SKIP_ENV
          + "=1 to skip the Azurite tests. npm said:" + System.lineSeparator() + tail);
    }
  }

  /** {@code -Ddeltasync.azurite.dir}, {@code DELTASYNC_AZURITE_DIR}, or {@code <repo>/.deltasync/azurite}. */
  static Path installDir() {
    String configured = System.getProperty("deltasync.azurite.dir");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("DELTASYNC_AZURITE_DIR");
    }
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured).toAbsolutePath();
    }
    Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      // The reactor root: it lists the common module. Surefire runs in a module folder.
      if (Files.isRegularFile(dir.resolve("pom.xml"))
          && Files.isRegularFile(dir.resolve("common").resolve("pom.xml"))) {
        return dir.resolve(".deltasync").resolve("azurite");
      }
    }
    return start.resolve("target").resolve("azurite-npm");
  }

  private static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder; the OS cleans it eventually
    }
  }
}
