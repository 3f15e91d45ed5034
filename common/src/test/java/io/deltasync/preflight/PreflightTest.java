package io.deltasync.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.config.Credentials;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.NotificationConfig;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.ledger.Region;
import io.deltasync.local.LocalJobsServer;
import io.deltasync.local.LocalJobsServer.Permission;
import io.deltasync.runtime.PreflightWiring;
import io.deltasync.secrets.EnvSecretProvider;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.sync.Placement;
import io.deltasync.sync.RegionWalls;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import io.deltasync.testing.DeltaTables;
import io.deltasync.testing.SharedSpark;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deltasync preflight} against two simulated workspaces (a {@link LocalJobsServer} each,
 * reached by the real SDK with each workspace's own token) and real Delta tables: registered ones
 * in the session's metastore, one schema per region, and the staged copy under the sync location.
 * One setup; each test plants one fault, checks the matching line, and removes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PreflightTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String DR = "deltasync-dr";
  static final SecretRef PRIMARY_PAT = new SecretRef("deltasync", "primary-pat");
  static final SecretRef SECONDARY_PAT = new SecretRef("deltasync", "secondary-pat");
  static final TableName ORDERS = new TableName("spark_catalog", "pf_primary", "orders");
  static final TableName ORDERS_DR = new TableName("spark_catalog", "pf_secondary", "orders");
  static final TableName CUSTOMERS = new TableName("spark_catalog", "pf_primary", "customers");
  static final TableName CUSTOMERS_DR =
      new TableName("spark_catalog", "pf_secondary_new", "customers");
  static final List<String> JOBS = List.of("wf_orders", "deltasync_sender", "deltasync_receiver");

  @TempDir static Path dir;

  final SparkSession spark = SharedSpark.spark();
  LocalJobsServer primary;
  LocalJobsServer secondary;
  String secondaryAdmin;
  final Map<String, String> env = new HashMap<>();
  WorkspaceConfig ws;
  SyncGroup group;

  @BeforeAll
  void setUp() throws IOException {
    primary = LocalJobsServer.start("east", Clock.systemUTC());
    secondary = LocalJobsServer.start("west", Clock.systemUTC());
    env.put(EnvSecretProvider.variableName(PRIMARY_PAT), primary.addPrincipal(DR, false));
    env.put(EnvSecretProvider.variableName(SECONDARY_PAT), secondary.addPrincipal(DR, false));
    secondaryAdmin = secondary.addPrincipal("admin@example.com", true);
    for (LocalJobsServer server : List.of(primary, secondary)) {
      String target = server == primary ? "primary" : "secondary";
      for (String name : JOBS) {
        long id = server.createJob(settings(name, target, "io.deltasync.Main"), (run, p) -> { });
        server.grant(id, DR, Permission.CAN_MANAGE);
      }
    }
    for (String schema : List.of("pf_primary", "pf_secondary", "pf_secondary_new")) {
      spark.sql("DROP SCHEMA IF EXISTS spark_catalog." + schema + " CASCADE");
      spark.sql("CREATE SCHEMA spark_catalog." + schema + " LOCATION '" + dir.resolve(schema)
          + "'");
    }
    for (TableName t : List.of(ORDERS, ORDERS_DR, CUSTOMERS)) {
      spark.sql("CREATE TABLE " + t.quoted() + " (id BIGINT, amount DOUBLE) USING delta");
    }
    Path sync = dir.resolve("sync-secondary");
    group = new SyncGroup("sales", "orders", "owner@example.com", Optional.of("wf_orders"),
        List.of(new TableMapping(ORDERS, ORDERS_DR), new TableMapping(CUSTOMERS, CUSTOMERS_DR)));
    ws = new WorkspaceConfig("sales", primary.host(), Optional.of(secondary.host()),
        new Credentials.Pat(PRIMARY_PAT), Optional.of(new Credentials.Pat(SECONDARY_PAT)),
        dir.resolve("sync-primary").toString(), sync.toString(), Duration.ofMinutes(15),
        Duration.ofMinutes(15), Duration.ofMinutes(30), 3, Optional.empty(), Optional.empty(),
        List.of(group), Optional.empty());
    for (TableName source : List.of(ORDERS, CUSTOMERS)) {
      DeltaTables.sql(Placement.of(ws).staging(group, source),
          "CREATE TABLE $t (id BIGINT, amount DOUBLE) USING delta");
    }
    Files.createDirectories(dir.resolve("sync-primary"));
  }

  @AfterAll
  void tearDown() {
    primary.close();
    secondary.close();
    for (String schema : List.of("pf_primary", "pf_secondary", "pf_secondary_new")) {
      spark.sql("DROP SCHEMA IF EXISTS spark_catalog." + schema + " CASCADE");
    }
  }

  /** A job as the bundle deploys it in {@code target}: one JAR task, its library and parameters. */
  static ObjectNode settings(String name, String target, String mainClass) {
    ObjectNode settings = JSON.createObjectNode().put("name", name);
    ArrayNode parameters = settings.putArray("parameters");
    parameters.addObject().put("name", "catalog").put("default", "dr_test_catalog");
    ObjectNode task = settings.putArray("tasks").addObject().put("task_key", "main")
        .put("job_cluster_key", name);
    task.putObject("new_cluster").put("spark_version", "16.4.x-scala2.12")
        .put("node_type_id", target.equals("primary") ? "Standard_D4ds_v5" : "Standard_D8ds_v5");
    ObjectNode jar = task.putObject("spark_jar_task").put("main_class_name", mainClass);
    jar.putArray("parameters").add("--config")
        .add("/Workspace/Deployments/deltasync/" + target + "/files/samples/config/databricks.json")
        .add("--region").add(target);
    task.putArray("libraries").addObject().put("jar", "/Workspace/Deployments/deltasync/" + target
        + "/artifacts/.internal/deltasync-jobs-0.1.0-receiver.jar");
    return settings;
  }

  PreflightReport run(Region region) {
    return run(region, new DeltaSyncConfig("deltasync", List.of(ws), Optional.empty()));
  }

  PreflightReport run(Region region, DeltaSyncConfig config) {
    SecretProvider secrets = new EnvSecretProvider(Map.copyOf(env));
    return PreflightWiring.with(secrets).run(config, region);
  }

  String staged(TableName source) {
    return Placement.of(ws).staging(group, source).uri();
  }

  String sync() {
    return ws.syncLocationSecondary();
  }

  List<String> allOkSecondary() {
    return List.of(
        "OK secret deltasync/primary-pat: readable",
        "OK secret deltasync/secondary-pat: readable",
        "OK jobs-api sales primary: reached sales primary " + primary.host() + " as " + DR,
        "OK jobs-api sales secondary: reached sales secondary " + secondary.host() + " as " + DR,
        "OK job-permission sales primary wf_orders: job 1001, deltasync-dr has CAN_MANAGE",
        "OK job-permission sales primary deltasync_sender: job 1002, deltasync-dr has CAN_MANAGE",
        "OK job-permission sales primary deltasync_receiver: job 1003, deltasync-dr has"
            + " CAN_MANAGE",
        "OK job-permission sales secondary wf_orders: job 1001, deltasync-dr has CAN_MANAGE",
        "OK job-permission sales secondary deltasync_receiver: job 1003, deltasync-dr has"
            + " CAN_MANAGE",
        "OK job-permission sales secondary deltasync_sender: job 1002, deltasync-dr has"
            + " CAN_MANAGE",
        "OK table orders spark_catalog.pf_secondary.orders: registered",
        "OK table orders spark_catalog.pf_secondary_new.customers: not registered yet; its schema"
            + " exists, so the receiver can create it",
        "OK storage sales ledger " + sync() + "/_deltasync: wrote and deleted a probe file",
        "OK storage sales failback staging " + ws.syncLocationPrimary()
            + ": wrote and deleted a probe file",
        "OK retention orders spark_catalog.pf_secondary.orders: log and deleted files kept longer"
            + " than interval 30 minutes",
        "OK job-drift sales wf_orders: tasks, parameters and libraries match (9 fields)",
        "OK job-drift sales deltasync_sender: tasks, parameters and libraries match (9 fields)",
        "OK job-drift sales deltasync_receiver: tasks, parameters and libraries match (9 fields)",
        "OK schema orders spark_catalog.pf_secondary.orders: same 2 columns as the staged copy",
        "preflight in the secondary region: 19 OK, 0 WARN, 0 FAIL");
  }

  @Test
  void allOkInTheSecondary() throws IOException {
    PreflightReport report = run(Region.SECONDARY);

    assertThat(report.lines()).containsExactlyElementsOf(allOkSecondary());
    assertThat(report.failed()).isFalse();
    Map<String, Object> json = report.json();
    assertThat(json).containsEntry("region", "secondary").containsEntry("ok", 19L)
        .containsEntry("fail", 0L);
    assertThat((List<?>) json.get("checks")).hasSize(19).first()
        .isEqualTo(Map.of("check", "secret", "subject", "deltasync/primary-pat", "outcome", "OK",
            "detail", "readable"));
    try (var files = Files.walk(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().contains("deltasync-preflight")))
          .as("probe files are deleted").isEmpty();
    }
  }

  @Test
  void allOkInThePrimaryChecksItsOwnTablesAndTheStagingRoot() {
    PreflightReport report = run(Region.PRIMARY);

    assertThat(report.failed()).isFalse();
    assertThat(report.lines()).contains(
        "OK job-permission sales primary deltasync_receiver: job 1003, deltasync-dr has"
            + " CAN_MANAGE",
        "OK table orders spark_catalog.pf_primary.orders: registered",
        "OK table orders spark_catalog.pf_primary.customers: registered",
        "OK storage sales staging " + sync() + "/sales: wrote and deleted a probe file",
        "OK retention orders spark_catalog.pf_primary.customers: log and deleted files kept"
            + " longer than interval 30 minutes",
        "OK schema orders spark_catalog.pf_primary.customers: same 2 columns as the staged copy",
        "preflight in the primary region: 21 OK, 0 WARN, 0 FAIL");
  }

  @Test
  void anUnreadableSecretFails() {
    SecretRef smtp = new SecretRef("deltasync", "smtp-password");
    DeltaSyncConfig config = new DeltaSyncConfig("deltasync", List.of(ws), Optional.of(
        new NotificationConfig(Optional.of(new NotificationConfig.SmtpConfig("smtp.example.com",
            587, "dr@example.com", Optional.of("dr"), Optional.of(smtp), true)),
            Optional.empty())));

    PreflightReport report = run(Region.SECONDARY, config);

    assertThat(report.failed()).isTrue();
    assertThat(fails(report)).containsExactly("FAIL secret deltasync/smtp-password: not readable:"
        + " " + new EnvSecretProviderMessage(smtp).text() + ". Fix: put it in the secondary"
        + " workspace: databricks secrets put-secret deltasync smtp-password, and grant READ on"
        + " scope deltasync to the job's principal");
  }

  @Test
  void aTokenTheWorkspaceDoesNotKnowFails() {
    String good = env.put(EnvSecretProvider.variableName(SECONDARY_PAT), "dapi-not-of-west");
    try {
      PreflightReport report = run(Region.SECONDARY);

      assertThat(fails(report)).containsExactly("FAIL jobs-api sales secondary: no answer for the"
          + " configured principal: workspace sales secondary " + secondary.host() + " refused to"
          + " read the caller's identity (HTTP 401: UNAUTHENTICATED Invalid access token.). Fix:"
          + " check the secondary workspace URL, that the credential keys hold a valid token or"
          + " OAuth secret of a principal of that workspace, and that it is reachable from the"
          + " running region");
    } finally {
      env.put(EnvSecretProvider.variableName(SECONDARY_PAT), good);
    }
  }

  @Test
  void aJobThePrincipalCanOnlyRunFails() {
    long receiver = secondary.jobId("deltasync_receiver");
    secondary.grant(receiver, DR, Permission.CAN_MANAGE_RUN);
    try {
      PreflightReport report = run(Region.SECONDARY);

      assertThat(fails(report)).containsExactly("FAIL job-permission sales secondary"
          + " deltasync_receiver: job " + receiver + ", deltasync-dr has CAN_MANAGE_RUN; failover"
          + " and failback pause, unpause and cancel it, which needs CAN_MANAGE. Fix: grant"
          + " deltasync-dr CAN_MANAGE on job deltasync_receiver (bundle: the job's permissions,"
          + " variable jobs_api_service_principal)");
    } finally {
      secondary.grant(receiver, DR, Permission.CAN_MANAGE);
    }
  }

  @Test
  void aTableWhoseSchemaIsMissingFails() {
    spark.sql("DROP SCHEMA spark_catalog.pf_secondary_new");
    try {
      PreflightReport report = run(Region.SECONDARY);

      assertThat(fails(report)).containsExactly("FAIL table orders"
          + " spark_catalog.pf_secondary_new.customers: not registered, and schema"
          + " spark_catalog.pf_secondary_new does not exist. Fix: create the schema in the"
          + " secondary workspace (terraform/region_secondary) or correct the table name in group"
          + " orders");
    } finally {
      spark.sql("CREATE SCHEMA spark_catalog.pf_secondary_new LOCATION '"
          + dir.resolve("pf_secondary_new") + "'");
    }
  }

  @Test
  void aLocationThatCannotBeWrittenFails() throws IOException {
    Path failbackStaging = Path.of(ws.syncLocationPrimary());
    Files.delete(failbackStaging);
    Files.writeString(failbackStaging, "a file where a folder should be");
    try {
      PreflightReport report = run(Region.SECONDARY);

      assertThat(fails(report)).singleElement().asString()
          .startsWith("FAIL storage sales failback staging " + failbackStaging + ": not writable:"
              + " cannot write " + failbackStaging + "/.deltasync-preflight-")
          .endsWith(". Fix: grant the secondary region's job principals WRITE_FILES on the"
              + " external location of " + failbackStaging + " (terraform/region_secondary)");
    } finally {
      Files.delete(failbackStaging);
      Files.createDirectories(failbackStaging);
    }
  }

  @Test
  void aRetentionShorterThanTwoIntervalsFails() {
    spark.sql("ALTER TABLE " + ORDERS_DR.quoted()
        + " SET TBLPROPERTIES ('delta.deletedFileRetentionDuration' = 'interval 20 minutes')");
    try {
      PreflightReport report = run(Region.SECONDARY);

      assertThat(fails(report)).containsExactly("FAIL retention orders"
          + " spark_catalog.pf_secondary.orders: delta.deletedFileRetentionDuration = interval 20"
          + " minutes, not longer than the sync interval plus the receiver's period (interval 30"
          + " minutes): a pinned version may be vacuumed before it is applied. Fix: ALTER TABLE"
          + " `spark_catalog`.`pf_secondary`.`orders` SET TBLPROPERTIES"
          + " ('delta.deletedFileRetentionDuration' = 'interval 7 days')");
    } finally {
      spark.sql("ALTER TABLE " + ORDERS_DR.quoted()
          + " UNSET TBLPROPERTIES ('delta.deletedFileRetentionDuration')");
    }
  }

  @Test
  void aWorkflowChangedInOneWorkspaceOnlyFails() throws Exception {
    long workflow = secondary.jobId("wf_orders");
    ObjectNode original = secondary.settings(workflow);
    update(workflow, settings("wf_orders", "secondary", "io.deltasync.Other"));
    try {
      PreflightReport report = run(Region.SECONDARY);

      assertThat(fails(report)).containsExactly("FAIL job-drift sales wf_orders: 1 field(s)"
          + " differ between the workspaces: tasks[main].spark_jar_task.main_class_name: primary"
          + " 'io.deltasync.Main', secondary 'io.deltasync.Other'. Fix: deploy the same bundle to"
          + " both targets (databricks bundle deploy -t primary, then -t secondary): after a"
          + " failover the secondary runs its own copy");
    } finally {
      update(workflow, original);
    }
  }

  @Test
  void aSecondaryTableWhoseSchemaDiffersFromTheStagedCopyWarns() {
    String copy = staged(ORDERS);
    replace(copy, "SELECT CAST(1 AS BIGINT) AS id, 1.5D AS amount, 'x' AS note LIMIT 0");
    try {
      PreflightReport report = run(Region.SECONDARY);

      assertThat(report.failed()).isFalse();
      assertThat(report.results()).filteredOn(r -> r.outcome() == Outcome.WARN)
          .map(CheckResult::line).containsExactly("WARN schema orders"
              + " spark_catalog.pf_secondary.orders: schema differs from the staged copy at "
              + staged(ORDERS) + " (the primary's, as last sent): only here: [], only in the"
              + " staged copy: [note string]. Fix: the next receive applies the staged schema;"
              + " if this stays, someone altered the secondary table: undo it");
    } finally {
      replace(copy, "SELECT CAST(1 AS BIGINT) AS id, 1.5D AS amount LIMIT 0");
    }
  }

  /**
   * The same workspace in embedded mode with {@code local.jobs_api}, as the demo's two simulated
   * workspaces run it: the regions are folders, the jobs are reached through each workspace's Jobs
   * API with that workspace's token. Its tables are Delta tables in the region folders.
   */
  WorkspaceConfig embeddedWithJobsApi() {
    WorkspaceConfig embedded = ws.withLocal(Optional.of(new LocalRegions(
        dir.resolve("region-primary").toString(), dir.resolve("region-secondary").toString(),
        true)));
    Placement placement = Placement.of(embedded);
    for (TableLocation table : List.of(placement.primary(ORDERS), placement.primary(CUSTOMERS),
        placement.secondary(ORDERS_DR))) {
      if (!io.delta.tables.DeltaTable.isDeltaTable(spark, table.toString())) {
        DeltaTables.sql(table, "CREATE TABLE $t (id BIGINT, amount DOUBLE) USING delta");
      }
    }
    return embedded;
  }

  /** preflight as its command runs it: the config confined to the region it runs in. */
  PreflightReport runEmbedded(Region region) {
    DeltaSyncConfig config = new DeltaSyncConfig("deltasync", List.of(embeddedWithJobsApi()),
        Optional.empty());
    return run(region, RegionWalls.confine(config, region));
  }

  @Test
  void withLocalJobsApiTheJobsApiChecksRunAgainstEachWorkspace() {
    String secondaryDir = dir.resolve("region-secondary").toString();
    String primaryDir = dir.resolve("region-primary").toString();

    PreflightReport secondaryReport = runEmbedded(Region.SECONDARY);
    PreflightReport primaryReport = runEmbedded(Region.PRIMARY);

    // The same lines as on Databricks, with each table by its path in the region's folder.
    assertThat(secondaryReport.lines()).containsExactlyElementsOf(allOkSecondary().stream()
        .map(line -> line.replace("spark_catalog.pf_secondary.orders",
                secondaryDir + "/spark_catalog/pf_secondary/orders")
            .replace("spark_catalog.pf_secondary_new.customers",
                secondaryDir + "/spark_catalog/pf_secondary_new/customers"))
        .toList());
    assertThat(primaryReport.failed()).isFalse();
    assertThat(primaryReport.lines()).contains(
        "OK jobs-api sales secondary: reached sales secondary " + secondary.host() + " as " + DR,
        "OK table orders " + primaryDir + "/spark_catalog/pf_primary/customers: registered",
        "preflight in the primary region: 21 OK, 0 WARN, 0 FAIL");
  }

  @Test
  void withLocalJobsApiASenderThePrincipalCannotPauseInTheSecondaryFails() {
    long sender = secondary.jobId("deltasync_sender");
    secondary.grant(sender, DR, Permission.CAN_MANAGE_RUN);
    try {
      PreflightReport report = runEmbedded(Region.SECONDARY);

      assertThat(fails(report)).containsExactly("FAIL job-permission sales secondary"
          + " deltasync_sender: job " + sender + ", deltasync-dr has CAN_MANAGE_RUN; failover"
          + " and failback pause, unpause and cancel it, which needs CAN_MANAGE. Fix: grant"
          + " deltasync-dr CAN_MANAGE on job deltasync_sender (bundle: the job's permissions,"
          + " variable jobs_api_service_principal)");
    } finally {
      secondary.grant(sender, DR, Permission.CAN_MANAGE);
    }
  }

  @Test
  void withLocalJobsApiAReceiverThePrincipalCanOnlyViewInThePrimaryFails() {
    long receiver = primary.jobId("deltasync_receiver");
    primary.grant(receiver, DR, Permission.CAN_VIEW);
    try {
      PreflightReport report = runEmbedded(Region.PRIMARY);

      assertThat(fails(report)).containsExactly("FAIL job-permission sales primary"
          + " deltasync_receiver: job " + receiver + ", deltasync-dr has CAN_VIEW; failback"
          + " starts it (run-now), which needs CAN_MANAGE_RUN. Fix: grant deltasync-dr"
          + " CAN_MANAGE_RUN on job deltasync_receiver (bundle: the job's permissions, variable"
          + " jobs_api_service_principal)");
    } finally {
      primary.grant(receiver, DR, Permission.CAN_MANAGE);
    }
  }

  /** Overwrites the table at {@code path} with the query's rows and schema, as a new version. */
  void replace(String path, String query) {
    spark.sql(query).write().format("delta").mode("overwrite").option("overwriteSchema", "true")
        .save(path);
  }

  static List<String> fails(PreflightReport report) {
    return report.results().stream().filter(r -> r.outcome() == Outcome.FAIL)
        .map(CheckResult::line).toList();
  }

  /** A settings update through the secondary's Jobs API, as its admin. */
  void update(long jobId, ObjectNode settings) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("job_id", jobId);
    body.set("new_settings", settings);
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(secondary.host() + "/api/2.2/jobs/update"))
        .header("Authorization", "Bearer " + secondaryAdmin)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** What the secret provider says of a secret it does not have. */
  record EnvSecretProviderMessage(SecretRef ref) {
    String text() {
      try {
        new EnvSecretProvider(Map.of()).secret(ref);
        throw new AssertionError("the secret should be missing");
      } catch (io.deltasync.errors.SyncException e) {
        return e.getMessage();
      }
    }
  }
}
