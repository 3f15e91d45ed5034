package io.deltasync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Opens the three job jars this module has just built (failsafe runs it after {@code package}) and
 * checks what the Databricks runtime will load from them: deltasync's own classes and the libraries
 * relocated under {@value #SHADED}, nothing unrelocated but the mail stack, nothing the runtime
 * provides, the job main classes, and a relocated SDK that still works.
 */
class JobJarsIT {

  static final String SHADED = "io/deltasync/shaded/";

  /**
   * Unrelocated on purpose (see jobs/pom.xml): jakarta.mail and Angus find their providers by class
   * names written in resource files, which relocation does not rewrite; the runtime has none of them.
   */
  static final List<String> ALLOWED_UNRELOCATED = List.of(
      "io/deltasync/", "jakarta/mail/", "jakarta/activation/", "org/eclipse/angus/");

  /** What the Databricks runtime provides: never in a job jar, relocated or not. */
  static final List<String> RUNTIME_PACKAGES = List.of(
      "org/apache/spark/", "io/delta/", "org/apache/hadoop/", "scala/", "org/apache/parquet/",
      "org/slf4j/", "org/apache/log4j/", "org/apache/logging/log4j/");

  static final Map<String, List<String>> MAIN_CLASSES = Map.of(
      "sender", List.of("io.deltasync.sender.SenderJob"),
      "receiver", List.of("io.deltasync.receiver.ReceiverJob", "io.deltasync.receiver.FailoverJob",
          "io.deltasync.receiver.FailbackJob", "io.deltasync.receiver.DrillJob"),
      "samples", List.of("io.deltasync.samples.SampleWorkflow1Job", "io.deltasync.samples.SampleWorkflow2Job"));

  /**
   * An unrelocated name of a relocated library in a class file's constants: an internal name
   * ({@code com/databricks/sdk/...}) or a dotted one as {@code Class.forName} and logger names use.
   */
  private static final Pattern UNRELOCATED_REFERENCE = Pattern.compile(
      "(?<!shaded[/.])(com[/.]databricks[/.]sdk[/.]|com[/.]fasterxml[/.]jackson[/.]|com[/.]google[/.]common"
          + "|com[/.]google[/.]protobuf[/.]|io[/.]opencensus[/.]|io[/.]grpc[/.]|org[/.]json[/.]"
          + "|picocli[/.]CommandLine|com[/.]typesafe[/.]config[/.])");

  @Test
  void everyClassIsDeltasyncsOrRelocatedAndNothingOfTheRuntimeIsInside() throws IOException {
    for (String job : MAIN_CLASSES.keySet()) {
      Map<String, Integer> unrelocated = new TreeMap<>();
      Map<String, Integer> runtime = new TreeMap<>();
      int classes = 0;
      try (JarFile jar = new JarFile(jar(job).toFile())) {
        for (JarEntry entry : Collections.list(jar.entries())) {
          String name = entry.getName();
          if (!name.endsWith(".class")) {
            continue;
          }
          classes++;
          if (ALLOWED_UNRELOCATED.stream().noneMatch(name::startsWith)) {
            unrelocated.merge(packageOf(name), 1, Integer::sum);
          }
          String unshaded = name.startsWith(SHADED) ? name.substring(SHADED.length()) : name;
          if (RUNTIME_PACKAGES.stream().anyMatch(unshaded::startsWith)) {
            runtime.merge(packageOf(name), 1, Integer::sum);
          }
        }
      }
      assertThat(unrelocated).as("classes of the %s job jar outside %s, by package", job, ALLOWED_UNRELOCATED)
          .isEmpty();
      assertThat(runtime).as("classes of the %s job jar that the Databricks runtime provides", job).isEmpty();
      assertThat(classes).as(job).isGreaterThan(1000);
    }
  }

  @Test
  void eachJarHoldsItsMainClassesAndNoOtherJobsCode() throws IOException {
    for (Map.Entry<String, List<String>> job : MAIN_CLASSES.entrySet()) {
      try (JarFile jar = new JarFile(jar(job.getKey()).toFile())) {
        for (String main : job.getValue()) {
          assertThat(jar.getEntry(main.replace('.', '/') + ".class")).as(job.getKey() + ": " + main).isNotNull();
        }
        assertThat(jar.getEntry("io/deltasync/config/DeltaSyncConfig.class")).as(job.getKey()).isNotNull();
        for (String other : MAIN_CLASSES.keySet()) {
          if (!other.equals(job.getKey())) {
            assertThat(Collections.list(jar.entries()).stream().map(JarEntry::getName)
                .filter(n -> n.startsWith("io/deltasync/" + other + "/")).toList())
                .as("%s classes in the %s job jar", other, job.getKey()).isEmpty();
          }
        }
      }
    }
  }

  /**
   * Relocation rewrote every reference of deltasync's own classes (the shaded libraries' texts hold
   * names that are data, such as protobuf type URLs, so only deltasync's classes are read).
   */
  @Test
  void noClassReferencesARelocatedLibraryByItsOriginalName() throws IOException {
    for (String job : MAIN_CLASSES.keySet()) {
      List<String> problems = new ArrayList<>();
      try (JarFile jar = new JarFile(jar(job).toFile())) {
        for (JarEntry entry : Collections.list(jar.entries())) {
          if (!entry.getName().endsWith(".class") || !entry.getName().startsWith("io/deltasync/")
              || entry.getName().startsWith(SHADED)) {
            continue;
          }
          String constants;
          try (InputStream in = jar.getInputStream(entry)) {
            constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
          }
          Matcher m = UNRELOCATED_REFERENCE.matcher(constants);
          if (m.find()) {
            problems.add(entry.getName() + " -> " + m.group(1));
          }
        }
      }
      assertThat(problems).as("unrelocated references in the %s job jar", job).isEmpty();
    }
  }

  /**
   * The relocated SDK runs with the Jackson relocated beside it, the SDK's own version (not Spark's
   * 2.15.2): loaded from the jar alone (plus SLF4J, which the runtime provides), it lists the jobs
   * of a local workspace server with a token.
   */
  @Test
  void theRelocatedSdkListsJobsWithItsOwnJackson() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    server.createContext("/", exchange -> {
      seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Authorization"));
      boolean list = exchange.getRequestURI().getPath().endsWith("/jobs/list");
      byte[] body = (list
          ? "{\"jobs\":[{\"job_id\":7,\"settings\":{\"name\":\"deltasync_sender\"}}],\"has_more\":false}"
          : "{\"error_code\":\"NOT_FOUND\",\"message\":\"no such endpoint\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(list ? 200 : 404, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    URL slf4j = LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {jar("sender").toUri().toURL(), slf4j}, ClassLoader.getPlatformClassLoader())) {
      String sdk = "io.deltasync.shaded.com.databricks.sdk.";
      Object jacksonVersion = loader.loadClass("io.deltasync.shaded.com.fasterxml.jackson.databind.cfg.PackageVersion")
          .getField("VERSION").get(null);
      assertThat(jacksonVersion).hasToString(System.getProperty("deltasync.jobs.jackson"));

      Class<?> configType = loader.loadClass(sdk + "core.DatabricksConfig");
      Object config = configType.getConstructor().newInstance();
      configType.getMethod("setHost", String.class)
          .invoke(config, "http://127.0.0.1:" + server.getAddress().getPort());
      configType.getMethod("setToken", String.class).invoke(config, "dapi-jobjars-test");
      Class<?> clientType = loader.loadClass(sdk + "WorkspaceClient");
      Object client = clientType.getConstructor(configType).newInstance(config);
      Object jobsApi = clientType.getMethod("jobs").invoke(client);
      Class<?> requestType = loader.loadClass(sdk + "service.jobs.ListJobsRequest");
      Method list = jobsApi.getClass().getMethod("list", requestType);
      List<String> names = new ArrayList<>();
      for (Object job : (Iterable<?>) list.invoke(jobsApi, requestType.getConstructor().newInstance())) {
        Object settings = job.getClass().getMethod("getSettings").invoke(job);
        names.add(job.getClass().getMethod("getJobId").invoke(job) + " "
            + settings.getClass().getMethod("getName").invoke(settings));
      }
      assertThat(names).containsExactly("7 deltasync_sender");
      assertThat(clientType.getName()).isEqualTo(sdk + "WorkspaceClient");
    } finally {
      server.stop(0);
    }
    assertThat(seen).anySatisfy(s -> assertThat(s).endsWith("/jobs/list Bearer dapi-jobjars-test"));
  }

  // -----------------------------------------------------------------------------------------------

  private static Path jar(String job) {
    Path dir = Path.of(System.getProperty("deltasync.jobs.dir", "target"));
    Path jar = dir.resolve("deltasync-jobs-" + System.getProperty("deltasync.jobs.version") + "-" + job + ".jar");
    assertThat(jar).as("the %s job jar (built by mvn package in module jobs)", job).isRegularFile();
    return jar;
  }

  private static String packageOf(String entry) {
    String dir = entry.contains("/") ? entry.substring(0, entry.lastIndexOf('/')) : "";
    // Group deep packages by their first three levels: enough to name the library.
    String[] parts = dir.split("/");
    return String.join("/", java.util.Arrays.copyOf(parts, Math.min(parts.length, 4)));
  }
}
