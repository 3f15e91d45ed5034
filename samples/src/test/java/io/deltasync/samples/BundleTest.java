package io.deltasync.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.JDKRegularExpressionFactory;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Asset Bundle ({@code databricks.yml} and the {@code bundle/} files it includes), merged as the
 * Databricks CLI merges them, checked against the CLI's JSON schema and against the code: every
 * job's main class exists with {@code main} and {@code commandLine()}, and its parameters parse.
 */
class BundleTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{var\\.([A-Za-z0-9_-]+)}");
  private static final List<String> TARGETS = List.of("primary", "secondary");

  private static Path root;
  private static ObjectNode bundle;

  @BeforeAll
  static void load() throws IOException {
    root = repositoryRoot();
    bundle = mergedBundle(root);
  }

  @Test
  void theMergedBundleValidatesAgainstTheBundleSchema() throws IOException {
    JsonSchema schema = bundleSchema();

    Set<ValidationMessage> problems = schema.validate(bundle);

    assertThat(problems).as("schema problems of the merged databricks.yml").isEmpty();
  }

  @Test
  void theSchemaCheckCatchesAMisspelledKeyAndABadVariableReference() throws IOException {
    JsonSchema schema = bundleSchema();
    ObjectNode broken = bundle.deepCopy();
    ObjectNode job = (ObjectNode) broken.path("resources").path("jobs").path("sample_workflow_1");
    job.put("max_concurent_runs", 1);
    job.put("max_concurrent_runs", "${not a reference}");

    Set<ValidationMessage> problems = schema.validate(broken);

    assertThat(problems).extracting(ValidationMessage::getMessage).contains(
        "/resources/jobs/sample_workflow_1: property 'max_concurent_runs' is not defined in the schema"
            + " and the schema does not allow additional properties",
        "/resources/jobs/sample_workflow_1/max_concurrent_runs: string found, integer expected");
  }

  @Test
  void everyIncludedFileIsMergedAndEveryVariableUsedIsDeclared() throws IOException {
    assertThat(includedFiles(root)).extracting(p -> root.relativize(p).toString().replace('\\', '/'))
        .contains("bundle/sender.yml", "bundle/receiver.yml", "bundle/failover.yml",
            "bundle/sample_workflows.yml");
    Set<String> used = new TreeSet<>();
    collectVariables(bundle, used);
    Set<String> declared = new TreeSet<>();
    bundle.path("variables").fieldNames().forEachRemaining(declared::add);
    assertThat(declared).containsAll(used);
  }

  @Test
  void bothTargetsDefineTheSameWorkflowsAndEachItsOwnSyncJob() {
    Map<String, JsonNode> primary = jobs("primary");
    Map<String, JsonNode> secondary = jobs("secondary");

    assertThat(workflows(primary)).containsExactly("sample_workflow_1", "sample_workflow_2");
    assertThat(workflows(secondary)).isEqualTo(workflows(primary));
    for (String workflow : workflows(primary)) {
      assertThat(secondary.get(workflow)).as(workflow).isEqualTo(primary.get(workflow));
      assertThat(primary.get(workflow).path("name").asText()).isEqualTo(workflow);
    }
    assertThat(primary.keySet()).contains("deltasync_sender", "deltasync_failover", "deltasync_failback")
        .doesNotContain("deltasync_receiver");
    assertThat(secondary.keySet()).contains("deltasync_receiver", "deltasync_failover", "deltasync_failback")
        .doesNotContain("deltasync_sender");
    // The status job watches the lag from whichever region is alive, on staggered schedules.
    for (Map<String, JsonNode> jobs : List.of(primary, secondary)) {
      JsonNode status = jobs.get("deltasync_status");
      assertThat(status.at("/tasks/0/spark_jar_task/main_class_name").asText())
          .isEqualTo("io.deltasync.receiver.StatusJob");
      assertThat(status.at("/tasks/0/spark_jar_task/parameters/2").asText()).isEqualTo("--alert");
      assertThat(status.at("/schedule/pause_status").asText()).isEqualTo("UNPAUSED");
    }
    assertThat(primary.get("deltasync_status").at("/schedule/quartz_cron_expression").asText())
        .isEqualTo("0 5/30 * * * ?");
    assertThat(secondary.get("deltasync_status").at("/schedule/quartz_cron_expression").asText())
        .isEqualTo("0 20/30 * * * ?");
  }

  @Test
  void theSecondaryIsPassiveButItsReceiverRuns() {
    assertThat(bundle.at("/targets/secondary/presets/trigger_pause_status").asText()).isEqualTo("PAUSED");
    assertThat(bundle.at("/targets/primary/presets/trigger_pause_status").asText()).isEqualTo("UNPAUSED");
    // The preset only fills pause_status where a job leaves it unset.
    assertThat(jobs("secondary").get("deltasync_receiver").at("/schedule/pause_status").asText())
        .isEqualTo("UNPAUSED");
    assertThat(jobs("primary").get("deltasync_sender").at("/schedule/pause_status").asText())
        .isEqualTo("UNPAUSED");
    for (String workflow : List.of("sample_workflow_1", "sample_workflow_2")) {
      assertThat(jobs("secondary").get(workflow).path("schedule").has("pause_status")).as(workflow).isFalse();
    }
    assertThat(jobs("primary").get("deltasync_failover").has("schedule")).isFalse();
    assertThat(jobs("primary").get("deltasync_failback").has("schedule")).isFalse();
  }

  @Test
  void everyJobRunsAloneOnADedicatedClusterOf164LtsAndMailsFailures() {
    for (String target : TARGETS) {
      jobs(target).forEach((key, job) -> {
        String where = target + "/" + key;
        assertThat(job.path("max_concurrent_runs").asInt()).as(where).isEqualTo(1);
        assertThat(job.at("/email_notifications/on_failure").size()).as(where).isPositive();
        assertThat(job.path("job_clusters").size()).as(where).isEqualTo(1);
        JsonNode cluster = job.at("/job_clusters/0/new_cluster");
        assertThat(resolve(cluster.path("spark_version").asText(), target)).as(where)
            .isEqualTo("16.4.x-scala2.12");
        assertThat(cluster.path("data_security_mode").asText()).as(where).isEqualTo("SINGLE_USER");
        assertThat(cluster.path("single_user_name").asText()).as(where)
            .isEqualTo(job.at("/run_as/service_principal_name").asText());
        for (JsonNode task : job.path("tasks")) {
          assertThat(task.path("job_cluster_key").asText()).as(where)
              .isEqualTo(job.at("/job_clusters/0/job_cluster_key").asText());
        }
      });
    }
  }

  @Test
  void theSenderScheduleFollowsTheSyncInterval() throws IOException {
    JsonNode config = JSON.readTree(root.resolve("samples/config/databricks.json").toFile());
    int interval = config.at("/workspaces/0/sync_interval_mins").asInt();
    String cron = resolve(jobs("primary").get("deltasync_sender").at("/schedule/quartz_cron_expression")
        .asText(), "primary");

    assertThat(cron).isEqualTo("0 0/" + interval + " * * * ?");
    assertThat(interval).isEqualTo(15);
  }

  @Test
  void everyJarLibraryIsABuiltArtifactAndTheConfigIsShipped() throws IOException {
    List<String> artifactFiles = new ArrayList<>();
    bundle.at("/artifacts/deltasync_jars/files").forEach(f -> artifactFiles.add(f.path("source").asText()));
    assertThat(artifactFiles).containsExactly("sender/target/deltasync-sender-*-job.jar",
        "receiver/target/deltasync-receiver-*-job.jar", "samples/target/deltasync-samples-*-job.jar");
    for (String target : TARGETS) {
      jobs(target).forEach((key, job) -> {
        for (JsonNode task : job.path("tasks")) {
          // Library paths in bundle/*.yml are relative to that file.
          String jar = task.at("/libraries/0/jar").asText();
          assertThat(jar).as(key).startsWith("../");
          assertThat(artifactFiles).as(key).contains(jar.substring(3));
          assertThat(task.at("/spark_jar_task/parameters")).as(key).isNotEmpty();
        }
      });
    }
    for (String module : List.of("sender", "receiver", "samples")) {
      String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
      assertThat(pom).as(module).contains("<artifactId>deltasync-" + module + "</artifactId>")
          .contains("<artifactId>maven-shade-plugin</artifactId>");
    }
    assertThat(resolve("${var.config_file}", "primary"))
        .isEqualTo("/Workspace/Shared/.bundle/deltasync/primary/files/samples/config/databricks.json");
    assertThat(root.resolve("samples/config/databricks.json")).isRegularFile();
  }

  /**
   * Every main class must exist (on the test classpath, and in its shaded jar when that jar has
   * been built) with {@code public static void main(String[])} and {@code public static
   * CommandLine commandLine()}, and the job's parameters must parse with that command line. Fails
   * listing every class not written yet.
   */
  @Test
  void everyMainClassExistsAndParsesItsJobParameters() throws IOException {
    Map<String, String> problems = new TreeMap<>();
    for (String target : TARGETS) {
      for (Map.Entry<String, JsonNode> job : jobs(target).entrySet()) {
        for (JsonNode task : job.getValue().path("tasks")) {
          String mainClass = task.at("/spark_jar_task/main_class_name").asText();
          List<String> parameters = new ArrayList<>();
          task.at("/spark_jar_task/parameters").forEach(p -> parameters.add(resolve(p.asText(), target)));
          String problem = checkMain(mainClass, parameters);
          if (problem == null) {
            problem = checkJar(task.at("/libraries/0/jar").asText(), mainClass);
          }
          if (problem != null) {
            problems.put(mainClass, problem);
          }
        }
      }
    }
    assertThat(problems).as("main classes of the bundle's jobs").isEmpty();
  }

  private static String checkMain(String mainClass, List<String> parameters) {
    Class<?> type;
    try {
      type = Class.forName(mainClass);
    } catch (ClassNotFoundException e) {
      return "missing: no class " + mainClass + " on the classpath";
    }
    try {
      Method main = type.getMethod("main", String[].class);
      Method commandLine = type.getMethod("commandLine");
      if (!Modifier.isStatic(main.getModifiers()) || !Modifier.isStatic(commandLine.getModifiers())
          || commandLine.getReturnType() != CommandLine.class) {
        return "main(String[]) and commandLine() must be public static, commandLine() returning CommandLine";
      }
      CommandLine cli = (CommandLine) commandLine.invoke(null);
      cli.parseArgs(parameters.toArray(String[]::new));
      return null;
    } catch (NoSuchMethodException e) {
      return "no public static " + e.getMessage();
    } catch (CommandLine.ParameterException e) {
      return "parameters " + parameters + " do not parse: " + e.getMessage();
    } catch (ReflectiveOperationException e) {
      return "commandLine() failed: " + e;
    }
  }

  /** When the job jar has been built ({@code mvn package}), the main class must be in it. */
  private static String checkJar(String library, String mainClass) throws IOException {
    Path pattern = root.resolve("bundle").resolve(library).normalize();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    if (!Files.isDirectory(pattern.getParent())) {
      return null;
    }
    try (Stream<Path> files = Files.list(pattern.getParent())) {
      for (Path jar : files.filter(matcher::matches).toList()) {
        try (JarFile file = new JarFile(jar.toFile())) {
          if (file.getEntry(mainClass.replace('.', '/') + ".class") == null) {
            return "not in " + root.relativize(jar);
          }
        }
      }
    }
    return null;
  }

  // -----------------------------------------------------------------------------------------------

  private static JsonSchema bundleSchema() throws IOException {
    JsonNode schema = JSON.readTree(root.resolve("bundle/schema/databricks-bundle-schema.json").toFile());
    // The schema's patterns use \p{L} and \p{N}: java.util.regex understands them.
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
        .regularExpressionFactory(JDKRegularExpressionFactory.getInstance())
        .build();
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema, config);
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("databricks.yml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no databricks.yml above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  private static List<Path> includedFiles(Path root) throws IOException {
    ObjectNode main = (ObjectNode) YAML.readTree(root.resolve("databricks.yml").toFile());
    List<Path> files = new ArrayList<>();
    for (JsonNode include : main.path("include")) {
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + include.asText());
      try (Stream<Path> all = Files.walk(root.resolve("bundle"))) {
        all.filter(p -> matcher.matches(root.relativize(p))).sorted().forEach(files::add);
      }
    }
    return files;
  }

  /** databricks.yml with every included file merged in: maps merge, a key set twice is an error. */
  static ObjectNode mergedBundle(Path root) throws IOException {
    ObjectNode merged = (ObjectNode) YAML.readTree(root.resolve("databricks.yml").toFile());
    for (Path file : includedFiles(root)) {
      merge(merged, (ObjectNode) YAML.readTree(file.toFile()), root.relativize(file).toString());
    }
    return merged;
  }

  private static void merge(ObjectNode into, ObjectNode from, String where) {
    Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = into.get(field.getKey());
      if (existing == null) {
        into.set(field.getKey(), field.getValue());
      } else if (existing.isObject() && field.getValue().isObject()) {
        merge((ObjectNode) existing, (ObjectNode) field.getValue(), where + ":" + field.getKey());
      } else if (existing.isArray() && field.getValue().isArray()) {
        ((ArrayNode) existing).addAll((ArrayNode) field.getValue());
      } else {
        throw new IllegalStateException(where + " sets " + field.getKey() + " a second time");
      }
    }
  }

  /** The jobs a target deploys: the top-level ones plus the target's own. */
  private static Map<String, JsonNode> jobs(String target) {
    Map<String, JsonNode> jobs = new LinkedHashMap<>();
    bundle.at("/resources/jobs").fields().forEachRemaining(e -> jobs.put(e.getKey(), e.getValue()));
    bundle.at("/targets/" + target + "/resources/jobs").fields()
        .forEachRemaining(e -> jobs.put(e.getKey(), e.getValue()));
    return jobs;
  }

  private static Set<String> workflows(Map<String, JsonNode> jobs) {
    Set<String> names = new TreeSet<>();
    jobs.keySet().stream().filter(k -> k.startsWith("sample_workflow_")).forEach(names::add);
    return names;
  }

  private static void collectVariables(JsonNode node, Set<String> into) {
    if (node.isTextual()) {
      Matcher m = VARIABLE.matcher(node.asText());
      while (m.find()) {
        into.add(m.group(1));
      }
    }
    node.forEach(child -> collectVariables(child, into));
  }

  /** Resolves ${var.X} (target override, else default) and ${workspace.file_path} / ${bundle.*}. */
  private static String resolve(String text, String target) {
    String resolved = text;
    for (int depth = 0; depth < 5 && resolved.contains("${"); depth++) {
      Matcher m = VARIABLE.matcher(resolved);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        JsonNode override = bundle.at("/targets/" + target + "/variables/" + m.group(1));
        JsonNode value = override.isMissingNode() ? bundle.at("/variables/" + m.group(1) + "/default") : override;
        m.appendReplacement(out, Matcher.quoteReplacement(value.isMissingNode() ? m.group() : value.asText()));
      }
      m.appendTail(out);
      String rootPath = bundle.at("/targets/" + target + "/workspace/root_path").asText();
      resolved = out.toString().replace("${workspace.file_path}", "${workspace.root_path}/files")
          .replace("${workspace.root_path}", rootPath)
          .replace("${bundle.name}", bundle.at("/bundle/name").asText())
          .replace("${bundle.target}", target);
    }
    return resolved;
  }
}
