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
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.failover.JobRunSteps;
import io.deltasync.sync.Placement;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.EnumSet;
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
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Asset Bundle ({@code databricks.yml} and the {@code bundle/} files it includes), merged as the
 * Databricks CLI merges them, checked against the CLI's JSON schema and against the code: every
 * job's main class exists with {@code main} and {@code commandLine()}, and its parameters parse;
 * every job that failover and failback switch is deployed where they switch it, with a permission
 * for their Jobs API principal; the pause statuses follow the active region; auth fields, principals,
 * timeouts and health rules are what a real deploy needs.
 */
class BundleTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{var\\.([A-Za-z0-9_-]+)}");
  private static final List<String> TARGETS = List.of("primary", "secondary");
  private static final List<String> ALL_JOBS = List.of("sample_workflow_1", "sample_workflow_2",
      "deltasync_sender", "deltasync_receiver", "deltasync_failover", "deltasync_failback",
      "deltasync_status", "deltasync_preflight", "deltasync_drill");
  /** The options of the sample workflow jobs that name a table they write. */
  private static final Set<String> TABLE_OPTIONS = Set.of("--bronze", "--silver", "--gold", "--readings", "--daily");
  /** The principal deltasync calls the Jobs API as, in both workspaces. */
  private static final String JOBS_API_PRINCIPAL = "${var.jobs_api_service_principal}";
  /** Fields of {@code workspace} that are paths, not authentication. */
  private static final Set<String> WORKSPACE_PATHS =
      Set.of("root_path", "file_path", "artifact_path", "state_path", "resource_path");

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
        .containsExactly("bundle/active_region.yml", "bundle/failover.yml", "bundle/ledger.yml",
            "bundle/preflight.yml", "bundle/receiver.yml", "bundle/sample_workflows.yml",
            "bundle/sender.yml", "bundle/status.yml");
    Set<String> used = new TreeSet<>();
    collectVariables(bundle, used);
    Set<String> declared = new TreeSet<>();
    bundle.path("variables").fieldNames().forEachRemaining(declared::add);
    assertThat(declared).containsAll(used);
  }

  @Test
  void bothTargetsDeployEveryJobInProductionMode() {
    for (String target : TARGETS) {
      assertThat(jobs(target).keySet()).as(target).containsExactlyInAnyOrder(ALL_JOBS.toArray(String[]::new));
      jobs(target).forEach((key, job) -> assertThat(job.path("name").asText()).as(key).isEqualTo(key));
      assertThat(bundle.at("/targets/" + target + "/mode").asText()).as(target).isEqualTo("production");
      assertThat(bundle.at("/targets/" + target + "/presets/tags/deltasync_region").asText()).isEqualTo(target);
    }
    // No target-only job: a job the code switches in one region exists in the other too.
    assertThat(bundle.at("/targets/primary/resources").isMissingNode()).isTrue();
    assertThat(bundle.at("/targets/secondary/resources").isMissingNode()).isTrue();
  }

  /**
   * bundle/active_region.yml is one of the two prepared role files, and each of them resolves to
   * the same roles: the active region runs the workflows and the sender, the passive one the
   * receiver. No preset or literal pause status can undo that on a redeploy.
   */
  @Test
  void pauseStatusesFollowTheActiveRegionAndARedeployKeepsIt() throws IOException {
    String current = Files.readString(root.resolve("bundle/active_region.yml"));
    Map<String, String> roleFiles = new TreeMap<>();
    for (String active : TARGETS) {
      roleFiles.put(active, Files.readString(root.resolve("bundle/roles/" + active + "_active.yml")));
    }
    assertThat(roleFiles).containsValue(current);

    for (String active : TARGETS) {
      ObjectNode deployed = mergedBundle(root, root.resolve("bundle/roles/" + active + "_active.yml"));
      for (String target : TARGETS) {
        assertThat(resolve(deployed, deployed.at("/targets/" + target + "/presets/tags/deltasync_active_region")
            .asText(), target)).as(target).isEqualTo(active);
      }
      for (String target : TARGETS) {
        Map<String, String> pause = new TreeMap<>();
        jobs(deployed, target).forEach((key, job) -> {
          // The status and preflight jobs run in both regions whatever the roles (asserted below).
          if (!key.equals("deltasync_status") && !key.equals("deltasync_preflight")) {
            // one trigger per job: a schedule, or (the receiver) a file-arrival trigger
            for (String trigger : List.of("schedule", "trigger")) {
              if (job.has(trigger)) {
                pause.put(key, resolve(deployed, job.at("/" + trigger + "/pause_status").asText(), target));
              }
            }
          }
        });
        String runs = target.equals(active) ? "UNPAUSED" : "PAUSED";
        String receives = target.equals(active) ? "PAUSED" : "UNPAUSED";
        assertThat(pause).as("active %s, target %s", active, target).isEqualTo(Map.of(
            "sample_workflow_1", runs, "sample_workflow_2", runs, "deltasync_sender", runs,
            "deltasync_receiver", receives));
      }
    }
    for (String target : TARGETS) {
      assertThat(bundle.at("/targets/" + target + "/presets").has("trigger_pause_status")).as(target).isFalse();
      assertThat(jobs(target).get("deltasync_failover").has("schedule")).isFalse();
      assertThat(jobs(target).get("deltasync_failback").has("schedule")).isFalse();
      assertThat(jobs(target).get("deltasync_drill").has("schedule")).isFalse();
    }
    // The status job watches the lag from whichever region is alive, on staggered schedules.
    for (String target : TARGETS) {
      JsonNode status = jobs(target).get("deltasync_status");
      assertThat(status.at("/tasks/0/spark_jar_task/main_class_name").asText())
          .isEqualTo("io.deltasync.receiver.StatusJob");
      assertThat(status.at("/tasks/0/spark_jar_task/parameters/2").asText()).isEqualTo("--alert");
      assertThat(status.at("/schedule/pause_status").asText()).isEqualTo("UNPAUSED");
    }
    // Preflight checks each region from inside it, every day, and names its region.
    for (String target : TARGETS) {
      JsonNode preflight = jobs(target).get("deltasync_preflight");
      assertThat(preflight.at("/tasks/0/spark_jar_task/main_class_name").asText())
          .isEqualTo("io.deltasync.receiver.PreflightJob");
      List<String> parameters = new ArrayList<>();
      preflight.at("/tasks/0/spark_jar_task/parameters")
          .forEach(p -> parameters.add(resolve(p.asText(), target)));
      assertThat(parameters).containsExactly("--config", resolve("${var.config_file}", target),
          "--region", target);
      assertThat(preflight.at("/schedule/pause_status").asText()).isEqualTo("UNPAUSED");
    }
    assertThat(resolve(jobs("primary").get("deltasync_status").at("/schedule/quartz_cron_expression")
        .asText(), "primary")).isEqualTo("0 5/30 * * * ?");
    assertThat(resolve(jobs("secondary").get("deltasync_status").at("/schedule/quartz_cron_expression")
        .asText(), "secondary")).isEqualTo("0 20/30 * * * ?");
  }

  @Test
  void everyJobRunsAloneOnADedicatedClusterOf164LtsAndMailsFailuresAndOverlongRuns() {
    for (String target : TARGETS) {
      jobs(target).forEach((key, job) -> {
        String where = target + "/" + key;
        assertThat(job.path("max_concurrent_runs").asInt()).as(where).isEqualTo(1);
        assertThat(job.at("/email_notifications/on_failure").toString()).as(where)
            .isEqualTo("[\"${var.notification_email}\"]");
        assertThat(job.at("/email_notifications/on_duration_warning_threshold_exceeded").toString()).as(where)
            .isEqualTo("[\"${var.notification_email}\"]");
        assertThat(job.path("job_clusters").size()).as(where).isEqualTo(1);
        JsonNode cluster = job.at("/job_clusters/0/new_cluster");
        assertThat(resolve(cluster.path("spark_version").asText(), target)).as(where)
            .isEqualTo("16.4.x-scala2.12");
        assertThat(cluster.path("data_security_mode").asText()).as(where).isEqualTo("SINGLE_USER");
        assertThat(cluster.path("single_user_name").asText()).as(where)
            .isEqualTo(job.at("/run_as/service_principal_name").asText());
        for (JsonNode task : job.path("tasks")) {
          // a run_job_task (a workflow's `sync`) runs no code of its own: the job it starts does
          assertThat(task.path("job_cluster_key").asText()).as(where)
              .isEqualTo(task.has("run_job_task") ? "" : job.at("/job_clusters/0/job_cluster_key").asText());
        }
      });
    }
  }

  /** A hung job is stopped, and one that runs longer than it should is mailed before that. */
  @Test
  void everyJobHasATimeoutAndAHealthRuleOnItsRunDuration() {
    Map<String, String> limits = new TreeMap<>();
    for (String target : TARGETS) {
      jobs(target).forEach((key, job) -> {
        int timeout = job.path("timeout_seconds").asInt();
        JsonNode rules = job.at("/health/rules");
        assertThat(rules.size()).as(key).isEqualTo(1);
        assertThat(rules.at("/0/metric").asText()).as(key).isEqualTo("RUN_DURATION_SECONDS");
        assertThat(rules.at("/0/op").asText()).as(key).isEqualTo("GREATER_THAN");
        int warnAfter = rules.at("/0/value").asInt();
        assertThat(warnAfter).as(key).isPositive().isLessThan(timeout);
        limits.put(target + "/" + key, warnAfter + "/" + timeout);
      });
    }
    for (String target : TARGETS) {
      // A sync cycle longer than the interval delays the next one; two intervals is a hung cycle.
      assertThat(limits).containsEntry(target + "/deltasync_sender", "900/1800")
          .containsEntry(target + "/deltasync_receiver", "900/1800")
          .containsEntry(target + "/deltasync_failover", "1800/3600")
          .containsEntry(target + "/deltasync_failback", "7200/14400")
          .containsEntry(target + "/deltasync_drill", "7200/14400");
    }
  }

  /**
   * The sender's schedule follows the sync interval (the safety net); the receiver has no schedule
   * but starts when the sender rings its doorbell: the arrivals folder under its own region's sync
   * location (primary -> secondary in the secondary; the reverse direction in the primary).
   */
  @Test
  void theSenderFollowsTheSyncIntervalAndTheReceiverStartsWhenTheSenderRings() throws IOException {
    JsonNode config = JSON.readTree(root.resolve("samples/config/databricks.json").toFile());
    int interval = config.at("/workspaces/0/sync_interval_mins").asInt();
    Map<String, String> syncLocations = Map.of(
        "primary", config.at("/workspaces/0/sync_location_primary").asText(),
        "secondary", config.at("/workspaces/0/sync_location_secondary").asText());
    for (String target : TARGETS) {
      JsonNode sender = jobs(target).get("deltasync_sender");
      assertThat(resolve(sender.at("/schedule/quartz_cron_expression").asText(), target)).as(target)
          .isEqualTo("0 0/" + interval + " * * * ?");
      assertThat(sender.has("trigger")).as(target).isFalse();
      assertThat(sender.at("/schedule/pause_status").asText()).isEqualTo("${var.run_pause_status}");

      JsonNode receiver = jobs(target).get("deltasync_receiver");
      assertThat(receiver.has("schedule")).as(target).isFalse();
      assertThat(receiver.has("continuous")).as(target).isFalse();
      assertThat(receiver.path("trigger").toString()).as(target).isEqualTo("{\"pause_status\":"
          + "\"${var.receive_pause_status}\",\"file_arrival\":{\"url\":\"${var.arrivals_url}\","
          + "\"min_time_between_triggers_seconds\":60}}");
      assertThat(resolve(receiver.at("/trigger/file_arrival/url").asText(), target)).as(target)
          .isEqualTo(Placement.arrivals(syncLocations.get(target)).uri());
    }
    assertThat(resolve("${var.arrivals_url}", "secondary")).isEqualTo(
        "abfss://dr-sync@westus2drsync.dfs.core.windows.net/deltasync/_deltasync/arrivals");
    assertThat(interval).isEqualTo(15);
  }

  /**
   * Each sample workflow starts the sender for its group when its data tasks have succeeded; the
   * sender queues such a run behind a running one (never two at once), and the workflows' run-as
   * principal may start it.
   */
  @Test
  void eachWorkflowEndsByStartingTheSenderForItsGroup() {
    DeltaSyncConfig config = ConfigLoader.load(root.resolve("samples/config/databricks.json"), Map.of());
    for (String target : TARGETS) {
      Map<String, JsonNode> jobs = jobs(target);
      for (SyncGroup group : config.allGroups()) {
        String workflow = group.workflow().orElseThrow();
        JsonNode tasks = jobs.get(workflow).path("tasks");
        assertThat(tasks.size()).as(workflow).isEqualTo(2);
        String data = tasks.at("/0/task_key").asText();
        assertThat(tasks.get(1).toString()).as(target + "/" + workflow).isEqualTo("{\"task_key\":\"sync\","
            + "\"depends_on\":[{\"task_key\":\"" + data + "\"}],\"run_if\":\"ALL_SUCCESS\","
            + "\"run_job_task\":{\"job_id\":\"${resources.jobs.deltasync_sender.id}\","
            + "\"job_parameters\":{\"groups\":\"" + group.name() + "\"}}}");
        assertThat(group.name()).isEqualTo(workflow);
      }
      JsonNode sender = jobs.get("deltasync_sender");
      assertThat(sender.path("queue").toString()).as(target).isEqualTo("{\"enabled\":true}");
      assertThat(sender.path("max_concurrent_runs").asInt()).as(target).isEqualTo(1);
      List<String> permissions = new ArrayList<>();
      sender.path("permissions").forEach(p ->
          permissions.add(p.path("level").asText() + " " + p.path("service_principal_name").asText()));
      assertThat(permissions).as(target).containsExactly(
          "CAN_MANAGE ${var.jobs_api_service_principal}",
          "CAN_MANAGE_RUN ${var.workflow_service_principal}");
      for (String workflow : List.of("sample_workflow_1", "sample_workflow_2")) {
        assertThat(jobs.get(workflow).at("/run_as/service_principal_name").asText())
            .isEqualTo("${var.workflow_service_principal}");
      }
    }
  }

  @Test
  void everyJarLibraryIsABuiltArtifactInARestrictedRootAndTheConfigIsShipped() throws IOException {
    List<String> artifactFiles = new ArrayList<>();
    bundle.at("/artifacts/deltasync_jars/files").forEach(f -> artifactFiles.add(f.path("source").asText()));
    assertThat(artifactFiles).containsExactly("jobs/target/deltasync-jobs-*-sender.jar",
        "jobs/target/deltasync-jobs-*-receiver.jar", "jobs/target/deltasync-jobs-*-samples.jar");
    for (String target : TARGETS) {
      jobs(target).forEach((key, job) -> {
        for (JsonNode task : job.path("tasks")) {
          if (task.has("run_job_task")) {
            assertThat(task.has("libraries")).as(key).isFalse(); // a workflow's `sync`: no code
            continue;
          }
          // Library paths in bundle/*.yml are relative to that file.
          String jar = task.at("/libraries/0/jar").asText();
          assertThat(jar).as(key).startsWith("../");
          assertThat(artifactFiles).as(key).contains(jar.substring(3));
          assertThat(task.at("/spark_jar_task/parameters")).as(key).isNotEmpty();
        }
      });
      // The jars and the config sit in the target's root: outside /Workspace/Shared, reachable
      // only through the bundle's top-level permissions.
      String rootPath = resolve("${workspace.root_path}", target);
      assertThat(rootPath).isEqualTo("/Workspace/Deployments/deltasync/" + target);
      assertThat(bundle.at("/targets/" + target + "/workspace").has("artifact_path")).isFalse();
    }
    assertThat(bundle.path("permissions").toString()).doesNotContain("\"users\"", "user_name");
    assertThat(bundle.path("permissions")).extracting(p -> p.path("level").asText() + " "
        + p.path("group_name").asText(p.path("service_principal_name").asText())).containsExactly(
        "CAN_MANAGE ${var.operators_group}", "CAN_VIEW ${var.sender_service_principal}",
        "CAN_VIEW ${var.receiver_service_principal}", "CAN_VIEW ${var.workflow_service_principal}");
    String pom = Files.readString(root.resolve("jobs/pom.xml"));
    assertThat(pom).contains("<artifactId>deltasync-jobs</artifactId>", "<artifactId>maven-shade-plugin</artifactId>",
        "<shadedClassifierName>sender</shadedClassifierName>", "<shadedClassifierName>receiver</shadedClassifierName>",
        "<shadedClassifierName>samples</shadedClassifierName>");
    assertThat(resolve("${var.config_file}", "primary"))
        .isEqualTo("/Workspace/Deployments/deltasync/primary/files/samples/config/databricks.json");
    assertThat(root.resolve("samples/config/databricks.json")).isRegularFile();
  }

  /** Every deltasync job names the region it runs in: its target's. */
  @Test
  void everyDeltasyncJobPassesTheRegionOfItsTarget() {
    for (String target : TARGETS) {
      jobs(target).forEach((key, job) -> {
        for (JsonNode task : job.path("tasks")) {
          if (!key.startsWith("deltasync_")) {
            continue;
          }
          List<String> parameters = new ArrayList<>();
          task.at("/spark_jar_task/parameters").forEach(p -> parameters.add(resolve(p.asText(), target)));
          int at = parameters.indexOf("--region");
          assertThat(at).as(target + "/" + key + " " + parameters).isNotNegative();
          assertThat(parameters.get(at + 1)).as(target + "/" + key).isEqualTo(target);
        }
      });
    }
  }

  /**
   * Failback starts the secondary's sender (the reverse send) and the primary's receiver (the
   * reverse receive) with run-now and the job parameter {@code groups}: both jobs declare it and
   * pass it on as {@code --group}.
   */
  @Test
  void theJobsFailbackStartsTakeTheGroupsItCarriesBack() {
    for (String target : TARGETS) {
      for (String name : List.of("deltasync_sender", "deltasync_receiver")) {
        JsonNode job = jobs(target).get(name);
        assertThat(job.at("/parameters/0/name").asText()).as(target + "/" + name)
            .isEqualTo(JobRunSteps.GROUPS_PARAMETER);
        assertThat(job.at("/parameters/0/default").asText()).as(target + "/" + name).isEmpty();
        List<String> parameters = new ArrayList<>();
        job.at("/tasks/0/spark_jar_task/parameters").forEach(p -> parameters.add(p.asText()));
        int at = parameters.indexOf("--group");
        assertThat(at).as(target + "/" + name + " " + parameters).isNotNegative();
        assertThat(parameters.get(at + 1)).isEqualTo("{{job.parameters.groups}}");
      }
    }
  }

  /**
   * The ledger's dashboard and alert (bundle/ledger.yml) are part of the validated bundle, hold
   * exactly the queries of bundle/ledger/*.sql that LedgerQueriesTest runs, and read the catalog
   * the shipped config registers the ledger in.
   */
  @Test
  void theLedgerDashboardAndAlertHoldTheTestedQueriesOnTheConfiguredCatalog() throws IOException {
    JsonNode dashboard = bundle.at("/resources/dashboards/deltasync_ledger");
    assertThat(dashboard.path("dataset_catalog").asText()).isEqualTo("${var.ledger_catalog}");
    assertThat(dashboard.path("warehouse_id").asText()).isEqualTo("${var.warehouse_id}");
    Path file = root.resolve("bundle").resolve(dashboard.path("file_path").asText());
    assertThat(file.getFileName().toString()).endsWith(".lvdash.json");
    JsonNode lakeview = JSON.readTree(file.toFile());
    Map<String, String> datasets = new TreeMap<>();
    for (JsonNode dataset : lakeview.path("datasets")) {
      StringBuilder query = new StringBuilder();
      dataset.path("queryLines").forEach(line -> query.append(line.asText()));
      datasets.put(dataset.path("name").asText(), query.toString());
    }
    assertThat(datasets.keySet()).containsExactly("bytes_per_day", "epochs", "failures",
        "groups_needing_attention", "lag_per_group");
    for (Map.Entry<String, String> dataset : datasets.entrySet()) {
      assertThat(dataset.getValue()).as(dataset.getKey())
          .isEqualTo(Files.readString(root.resolve("bundle/ledger/" + dataset.getKey() + ".sql")));
    }
    Set<String> charted = new TreeSet<>();
    for (JsonNode item : lakeview.at("/pages/0/layout")) {
      item.at("/widget/queries").forEach(q -> charted.add(q.at("/query/datasetName").asText()));
    }
    assertThat(charted).isEqualTo(datasets.keySet());

    JsonNode alert = bundle.at("/resources/alerts/deltasync_lag_and_failures");
    assertThat(alert.path("query_text").asText()).isEqualTo(
        Files.readString(root.resolve("bundle/ledger/groups_needing_attention.sql"))
            .replace("deltasync.ledger", "${var.ledger_catalog}.deltasync.ledger")
            .replace(":lag_alert_mins", "${var.lag_alert_mins}"));
    assertThat(alert.at("/evaluation/source/aggregation").asText()).isEqualTo("COUNT");
    assertThat(alert.at("/evaluation/comparison_operator").asText()).isEqualTo("GREATER_THAN");
    assertThat(alert.at("/evaluation/threshold/value/double_value").asDouble()).isEqualTo(0.0);
    assertThat(alert.at("/evaluation/notification/subscriptions/0/user_email").asText())
        .isEqualTo("${var.notification_email}");

    DeltaSyncConfig config = ConfigLoader.load(root.resolve("samples/config/databricks.json"), Map.of());
    assertThat(config.workspaces()).allSatisfy(ws -> assertThat(ws.ledgerCatalog())
        .contains(bundle.at("/variables/ledger_catalog/default").asText()));
    // One lag threshold everywhere: the config's, the alert's variable, the dashboard's parameter.
    long lagAlertMins = bundle.at("/variables/lag_alert_mins/default").asLong();
    assertThat(config.workspaces()).allSatisfy(ws -> assertThat(ws.lagAlert().toMinutes())
        .isEqualTo(lagAlertMins));
    JsonNode parameter = StreamSupport.stream(lakeview.path("datasets").spliterator(), false)
        .filter(d -> d.path("name").asText().equals("groups_needing_attention")).findFirst()
        .orElseThrow().at("/parameters/0");
    assertThat(parameter.path("keyword").asText()).isEqualTo("lag_alert_mins");
    assertThat(parameter.path("dataType").asText()).isEqualTo("INTEGER");
    assertThat(parameter.at("/defaultSelection/values/values/0/value").asLong())
        .isEqualTo(lagAlertMins);
  }

  @Test
  void theSchemaCheckCoversTheAlertAndTheDashboard() throws IOException {
    JsonSchema schema = bundleSchema();
    ObjectNode broken = bundle.deepCopy();
    ((ObjectNode) broken.at("/resources/alerts/deltasync_lag_and_failures/evaluation"))
        .put("comparison_operator", "ABOVE");
    ((ObjectNode) broken.at("/resources/dashboards/deltasync_ledger")).put("catalog", "c");

    Set<ValidationMessage> problems = schema.validate(broken);

    assertThat(problems).extracting(ValidationMessage::getMessage).contains(
        "/resources/dashboards/deltasync_ledger: property 'catalog' is not defined in the schema"
            + " and the schema does not allow additional properties");
    assertThat(problems).extracting(ValidationMessage::getMessage)
        .anyMatch(m -> m.startsWith("/resources/alerts/deltasync_lag_and_failures/evaluation/comparison_operator"));
  }

  /** databricks/cli#2095: validate and deploy fail on a variable in an auth field. */
  @Test
  void noAuthFieldHoldsAVariableAndEachTargetHasItsOwnProfile() {
    assertThat(authProblems(bundle)).isEmpty();
    assertThat(bundle.at("/targets/primary/workspace/profile").asText()).isEqualTo("deltasync-primary");
    assertThat(bundle.at("/targets/secondary/workspace/profile").asText()).isEqualTo("deltasync-secondary");

    ObjectNode planted = bundle.deepCopy();
    ((ObjectNode) planted.at("/targets/primary/workspace")).put("host", "${var.primary_host}");
    ((ObjectNode) planted.at("/targets/secondary/workspace")).put("profile", "deltasync-primary");

    assertThat(authProblems(planted)).containsExactly(
        "targets.primary.workspace.host holds ${var.primary_host}: the CLI does not interpolate auth"
            + " fields (databricks/cli#2095); set the host in the target's profile or the environment",
        "targets primary and secondary use the same profile deltasync-primary: each target needs the"
            + " profile of its own workspace");
  }

  /** Principals are required variables: no fake id can reach a workspace. */
  @Test
  void everyPrincipalIsARequiredVariable() {
    assertThat(principalProblems(bundle)).isEmpty();

    ObjectNode planted = bundle.deepCopy();
    ((ObjectNode) planted.at("/variables/sender_service_principal"))
        .put("default", "00000000-0000-0000-0000-000000000001");
    ((ObjectNode) planted.at("/resources/jobs/deltasync_receiver/run_as"))
        .put("service_principal_name", "11111111-2222-3333-4444-555555555555");

    assertThat(principalProblems(planted)).containsExactly(
        "variable sender_service_principal has a default (00000000-0000-0000-0000-000000000001):"
            + " a principal must be named on every deploy, or looked up (lookup: service_principal:)",
        "deltasync_receiver: run_as 11111111-2222-3333-4444-555555555555 is not a principal variable");
  }

  /**
   * Every job that failover and failback pause, unpause or run (Failover, Failback, JobNames; the
   * failback run-nows of the issue "Two workspaces for real") is deployed in the region where the
   * code switches it, and the Jobs API principal may do it there.
   */
  @Test
  void everyJobTheCodeSwitchesIsDeployedWhereTheCodeExpectsItWithAPermissionForItsCaller() {
    DeltaSyncConfig config = ConfigLoader.load(root.resolve("samples/config/databricks.json"), Map.of());

    assertThat(switchProblems(bundle, config)).isEmpty();
    assertThat(switchedJobs(config)).extracting(Switched::toString).containsExactly(
        "primary sample_workflow_1 [PAUSE, UNPAUSE]", "primary sample_workflow_2 [PAUSE, UNPAUSE]",
        "primary deltasync_sender [PAUSE, UNPAUSE]", "primary deltasync_receiver [RUN]",
        "secondary sample_workflow_1 [PAUSE, UNPAUSE]", "secondary sample_workflow_2 [PAUSE, UNPAUSE]",
        "secondary deltasync_receiver [PAUSE, UNPAUSE]", "secondary deltasync_sender [PAUSE, RUN]");

    ObjectNode planted = bundle.deepCopy();
    ((ObjectNode) planted.at("/resources/jobs")).remove("deltasync_receiver");
    ((ArrayNode) planted.at("/resources/jobs/deltasync_sender/permissions")).removeAll()
        .addObject().put("level", "CAN_MANAGE_RUN")
        .put("service_principal_name", "${var.jobs_api_service_principal}");

    assertThat(switchProblems(planted, config)).containsExactly(
        "primary: deltasync_sender [PAUSE, UNPAUSE] needs CAN_MANAGE for ${var.jobs_api_service_principal},"
            + " which has [CAN_MANAGE_RUN]",
        "primary: no job deltasync_receiver, which the code switches there [RUN]",
        "secondary: no job deltasync_receiver, which the code switches there [PAUSE, UNPAUSE]",
        "secondary: deltasync_sender [PAUSE, RUN] needs CAN_MANAGE for ${var.jobs_api_service_principal},"
            + " which has [CAN_MANAGE_RUN]");
  }

  /** The sample workflow jobs write exactly the tables the shipped Databricks config syncs. */
  @Test
  void theDatabricksConfigNamesExactlyTheTablesTheSampleWorkflowJobsWrite() {
    DeltaSyncConfig config = ConfigLoader.load(root.resolve("samples/config/databricks.json"), Map.of());
    Set<String> written = new TreeSet<>();
    for (String target : TARGETS) {
      jobs(target).forEach((key, job) -> {
        if (key.startsWith("sample_workflow_")) {
          List<String> parameters = new ArrayList<>();
          job.at("/tasks/0/spark_jar_task/parameters").forEach(p -> parameters.add(resolve(p.asText(), target)));
          for (int i = 0; i + 1 < parameters.size(); i++) {
            if (TABLE_OPTIONS.contains(parameters.get(i))) {
              written.add(parameters.get(i + 1));
            }
          }
        }
      });
    }
    Set<String> synced = new TreeSet<>();
    config.allGroups().forEach(g -> g.tables().forEach(t -> synced.add(t.source().toString())));

    assertThat(synced).isEqualTo(written).hasSize(5);
    assertThat(config.allGroups()).allSatisfy(g -> assertThat(g.workflow()).as(g.name()).isPresent());
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
          if (task.has("run_job_task")) {
            continue; // starts another job of the bundle, whose own tasks are checked
          }
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
    // The CLI's own schema (`databricks bundle schema`), kept in the repository.
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
    return mergedBundle(root, root.resolve("bundle/active_region.yml"));
  }

  /** The bundle as deployed with {@code activeRegion} in place of bundle/active_region.yml. */
  static ObjectNode mergedBundle(Path root, Path activeRegion) throws IOException {
    ObjectNode merged = (ObjectNode) YAML.readTree(root.resolve("databricks.yml").toFile());
    for (Path file : includedFiles(root)) {
      Path read = file.equals(root.resolve("bundle/active_region.yml")) ? activeRegion : file;
      merge(merged, (ObjectNode) YAML.readTree(read.toFile()), root.relativize(file).toString());
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
    return jobs(bundle, target);
  }

  private static Map<String, JsonNode> jobs(JsonNode bundle, String target) {
    Map<String, JsonNode> jobs = new LinkedHashMap<>();
    bundle.at("/resources/jobs").fields().forEachRemaining(e -> jobs.put(e.getKey(), e.getValue()));
    bundle.at("/targets/" + target + "/resources/jobs").fields()
        .forEachRemaining(e -> jobs.put(e.getKey(), e.getValue()));
    return jobs;
  }

  /** What failover and failback do to a job through the Jobs API. */
  enum Switch {
    PAUSE,
    UNPAUSE,
    /** run-now (failback's reverse send in the secondary, then its receive in the primary) */
    RUN
  }

  /** A job the code switches, by name, in one region. */
  record Switched(String target, String job, Set<Switch> switches) {
    @Override
    public String toString() {
      return target + " " + job + " " + switches;
    }
  }

  /**
   * The jobs failover and failback switch, where: Failover pauses the primary's workflows and sender,
   * then the secondary's receiver and reverse sender, and unpauses the secondary's workflows;
   * Failback pauses the secondary's workflows, holds the primary's workflows and sender paused, runs
   * the reverse send in the secondary and the receive in the primary, unpauses the primary's
   * workflows and sender, the secondary's receiver, and keeps the reverse sender paused.
   */
  static List<Switched> switchedJobs(DeltaSyncConfig config) {
    // JobNames.defaults(): sender and reverse sender are both deltasync_sender, the receiver
    // deltasync_receiver (named here, not imported: the job-control package is moving).
    String sender = "deltasync_sender";
    String receiver = "deltasync_receiver";
    List<String> workflows = config.allGroups().stream().flatMap(g -> g.workflow().stream()).distinct().toList();
    List<Switched> switched = new ArrayList<>();
    for (String workflow : workflows) {
      switched.add(new Switched("primary", workflow, EnumSet.of(Switch.PAUSE, Switch.UNPAUSE)));
    }
    switched.add(new Switched("primary", sender, EnumSet.of(Switch.PAUSE, Switch.UNPAUSE)));
    switched.add(new Switched("primary", receiver, EnumSet.of(Switch.RUN)));
    for (String workflow : workflows) {
      switched.add(new Switched("secondary", workflow, EnumSet.of(Switch.PAUSE, Switch.UNPAUSE)));
    }
    switched.add(new Switched("secondary", receiver, EnumSet.of(Switch.PAUSE, Switch.UNPAUSE)));
    switched.add(new Switched("secondary", sender, EnumSet.of(Switch.PAUSE, Switch.RUN)));
    return switched;
  }

  /**
   * Each switched job must be deployed in its target under that name, and the Jobs API principal
   * must hold CAN_MANAGE on it to pause or unpause it (a settings update), or at least
   * CAN_MANAGE_RUN to run it. Top-level permissions count too (CAN_RUN is a job's CAN_MANAGE_RUN).
   */
  static List<String> switchProblems(JsonNode bundle, DeltaSyncConfig config) {
    List<String> problems = new ArrayList<>();
    for (Switched s : switchedJobs(config)) {
      JsonNode job = jobs(bundle, s.target()).values().stream()
          .filter(j -> j.path("name").asText().equals(s.job())).findFirst().orElse(null);
      if (job == null) {
        problems.add(s.target() + ": no job " + s.job() + ", which the code switches there " + s.switches());
        continue;
      }
      Set<String> levels = new TreeSet<>();
      for (JsonNode p : bundle.path("permissions")) {
        if (JOBS_API_PRINCIPAL.equals(p.path("service_principal_name").asText())) {
          levels.add(p.path("level").asText().equals("CAN_RUN") ? "CAN_MANAGE_RUN" : p.path("level").asText());
        }
      }
      for (JsonNode p : job.path("permissions")) {
        if (JOBS_API_PRINCIPAL.equals(p.path("service_principal_name").asText())) {
          levels.add(p.path("level").asText());
        }
      }
      boolean manages = levels.contains("CAN_MANAGE");
      boolean runs = manages || levels.contains("CAN_MANAGE_RUN");
      boolean switchesSchedule = s.switches().contains(Switch.PAUSE) || s.switches().contains(Switch.UNPAUSE);
      if (switchesSchedule ? !manages : !runs) {
        problems.add(s.target() + ": " + s.job() + " " + s.switches() + " needs "
            + (switchesSchedule ? "CAN_MANAGE" : "CAN_MANAGE_RUN") + " for " + JOBS_API_PRINCIPAL
            + ", which has " + levels);
      }
    }
    return problems;
  }

  /** Auth fields holding a variable, and targets sharing a profile. */
  static List<String> authProblems(JsonNode bundle) {
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> workspaces = new LinkedHashMap<>();
    workspaces.put("workspace", bundle.path("workspace"));
    for (String target : TARGETS) {
      workspaces.put("targets." + target + ".workspace", bundle.at("/targets/" + target + "/workspace"));
    }
    workspaces.forEach((where, workspace) -> workspace.fields().forEachRemaining(field -> {
      if (!WORKSPACE_PATHS.contains(field.getKey()) && field.getValue().asText().contains("${")) {
        problems.add(where + "." + field.getKey() + " holds " + field.getValue().asText()
            + ": the CLI does not interpolate auth fields (databricks/cli#2095); set the host in the"
            + " target's profile or the environment");
      }
    }));
    String primary = bundle.at("/targets/primary/workspace/profile").asText();
    if (primary.equals(bundle.at("/targets/secondary/workspace/profile").asText())) {
      problems.add("targets primary and secondary use the same profile " + primary
          + ": each target needs the profile of its own workspace");
    }
    return problems;
  }

  /** Principal variables with a default, and principals that are not such a variable. */
  static List<String> principalProblems(JsonNode bundle) {
    List<String> problems = new ArrayList<>();
    Set<String> principals = new TreeSet<>();
    bundle.path("variables").fields().forEachRemaining(v -> {
      if (v.getKey().endsWith("_service_principal") || v.getKey().endsWith("_group")) {
        principals.add("${var." + v.getKey() + "}");
        boolean lookedUp = v.getValue().at("/lookup/service_principal").isTextual();
        if (v.getValue().has("default") || (v.getValue().has("lookup") && !lookedUp)) {
          problems.add("variable " + v.getKey() + " has a default (" + v.getValue().path("default").asText()
              + "): a principal must be named on every deploy, or looked up (lookup: service_principal:)");
        }
      }
    });
    for (String target : TARGETS) {
      jobs(bundle, target).forEach((key, job) -> {
        List<String> named = new ArrayList<>();
        named.add("run_as " + job.at("/run_as/service_principal_name").asText());
        named.add("single_user_name " + job.at("/job_clusters/0/new_cluster/single_user_name").asText());
        job.path("permissions").forEach(p -> named.add("permission "
            + p.path("service_principal_name").asText(p.path("group_name").asText(p.path("user_name").asText()))));
        for (String n : named) {
          String what = n.substring(0, n.lastIndexOf(' '));
          String who = n.substring(n.lastIndexOf(' ') + 1);
          String problem = key + ": " + what + " " + who + " is not a principal variable";
          if (!principals.contains(who) && !problems.contains(problem)) {
            problems.add(problem);
          }
        }
      });
    }
    bundle.path("permissions").forEach(p -> {
      String who = p.path("service_principal_name").asText(p.path("group_name").asText(p.path("user_name").asText()));
      if (!principals.contains(who)) {
        problems.add("permissions: " + who + " is not a principal variable");
      }
    });
    return problems;
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

  private static String resolve(String text, String target) {
    return resolve(bundle, text, target);
  }

  /** Resolves ${var.X} (target override, else default) and ${workspace.file_path} / ${bundle.*}. */
  private static String resolve(JsonNode bundle, String text, String target) {
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
