package io.deltasync.status;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.deltasync.cli.DeltaSyncCli;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SecretRef;
import io.deltasync.errors.SyncErrors;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.notify.Delivery;
import io.deltasync.notify.Notifications;
import io.deltasync.runtime.PrimaryRuns;
import io.deltasync.secrets.EnvSecretProvider;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.spark.HadoopLagAlertStore;
import io.deltasync.status.LagAlerts.Kind;
import io.deltasync.status.LagAlerts.Sent;
import io.deltasync.status.StatusReport.GroupReport;
import io.deltasync.status.StatusReport.Lag;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupStatus;
import io.deltasync.testing.DrScenario;
import io.deltasync.testing.SharedSpark;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Lag alerts end to end: real Delta tables moved by the real sender and receiver, a hand-set
 * clock, email to a real SMTP server in-process (GreenMail), a webhook on a local HTTP server
 * (WireMock), and the alert state in a file next to the ledger. Each "status job run" builds
 * everything anew, as a scheduled job does: only the state file carries over.
 */
class LagAlertsTest {

  static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");
  static final String OWNER = "a@example.com";
  static final String HOOK_PATH = "/hooks/T1/B2/lag-token-never-log";
  static final SecretRef HOOK_REF = new SecretRef("dr-scope", "lag_webhook");
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(true);

  static WireMockServer hook;

  @TempDir Path root;

  @BeforeAll
  static void startHook() {
    hook = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    hook.start();
  }

  @AfterAll
  static void stopHook() {
    hook.stop();
  }

  @BeforeEach
  void resetHook() {
    hook.resetAll();
    hook.stubFor(post(HOOK_PATH).willReturn(aResponse().withStatus(200).withBody("ok")));
  }

  private final SecretProvider secrets = ref -> {
    if (ref.equals(HOOK_REF)) {
      return "http://127.0.0.1:" + hook.port() + HOOK_PATH;
    }
    throw SyncErrors.usage("no secret " + ref.key());
  };

  /**
   * The scenario's config (seed 004 JSON) with {@code lag_alert_mins} on the workspace and,
   * when given, on the workflow group {@code orders}, and both notification channels.
   */
  private DeltaSyncConfig config(DrScenario s, String name, int workspaceMins,
      Optional<Integer> ordersMins, int smtpPort) throws Exception {
    String json = Files.readString(s.configFile)
        .replace("\"secret_scope\": \"dr-scope\",", """
            "secret_scope": "dr-scope",
            "notifications": {
              "smtp": {"host": "127.0.0.1", "port": %d, "from": "deltasync@example.com",
                       "starttls": false},
              "webhook_url_key": "lag_webhook"
            },""".formatted(smtpPort))
        .replace("\"sync_max_retries\": 0,",
            "\"sync_max_retries\": 0, \"lag_alert_mins\": " + workspaceMins + ",")
        .replace("\"workflow\": \"orders_flow\",", "\"workflow\": \"orders_flow\","
            + ordersMins.map(m -> " \"lag_alert_mins\": " + m + ",").orElse(""));
    return ConfigLoader.load(Files.writeString(root.resolve(name), json));
  }

  private DeltaSyncConfig config(DrScenario s, int workspaceMins, Optional<Integer> ordersMins)
      throws Exception {
    return config(s, "alerts-" + workspaceMins + "-" + ordersMins.orElse(0) + ".json",
        workspaceMins, ordersMins, MAIL.getSmtp().getPort());
  }

  /** One run of the status job at the clock's time: report, then alerts; nothing kept in memory. */
  private StatusRun statusJob(DrScenario s, DeltaSyncConfig config) {
    StatusReport report = new Status(s::ledger,
        ws -> PrimaryRuns.forWorkspace(ws, new EnvSecretProvider()), s.clock)
        .report(config, Optional.empty());
    LagAlerts alerts = new LagAlerts(new HadoopLagAlertStore(new Configuration()),
        Notifications.byWorkspace(config, secrets));
    return new StatusRun(report, alerts.run(config, report));
  }

  private record StatusRun(StatusReport report, LagAlerts.Result alerts) {
    GroupReport orders() {
      return report.groups().stream().filter(g -> g.group().equals("orders")).findFirst()
          .orElseThrow();
    }
  }

  private Path stateFile() {
    return root.resolve("sync-secondary/_deltasync/lag_alerts/ws.json");
  }

  private String syncId(DrScenario s, long sequence) {
    return s.ledger().read().stream()
        .filter(r -> r.groupName().equals("orders") && r.sequence() == sequence)
        .map(LedgerRow::syncId).findFirst().orElseThrow();
  }

  private static List<JsonNode> hookPosts() throws Exception {
    List<JsonNode> posts = new java.util.ArrayList<>();
    for (var request : hook.findAll(postRequestedFor(urlEqualTo(HOOK_PATH)))) {
      posts.add(JSON.readTree(request.getBodyAsString()));
    }
    return posts;
  }

  private static String body(MimeMessage message) throws Exception {
    return ((String) message.getContent()).replace("\r\n", "\n").stripTrailing();
  }

  private static List<String> to(MimeMessage message) throws Exception {
    return java.util.Arrays.stream(message.getAllRecipients()).map(Address::toString).toList();
  }

  private static Delivery mailTo(String address) {
    return new Delivery("email", Delivery.Status.SENT, "to " + address);
  }

  private static final Delivery HOOK_OK = new Delivery("webhook", Delivery.Status.SENT,
      "HTTP 200 from 127.0.0.1");

  private static GroupStatus groupStatus(CycleResult result) {
    return result.groups().stream().filter(g -> g.group().equals("orders")).findFirst()
        .orElseThrow().status();
  }

  /**
   * Run 1 (08:00-08:10) synced and applied at 08:20; runs 2 (09:00-09:10) and 3 (10:00-10:10)
   * are neither sent nor applied. The clock is left at 10:10.
   */
  private DrScenario appliedRunOneThenTwoMoreRuns() throws Exception {
    DrScenario s = new DrScenario(root, T0);
    s.runOrders(Duration.ofMinutes(10),
        "CREATE TABLE $bronze (id BIGINT) USING delta", "INSERT INTO $bronze VALUES (1)",
        "CREATE TABLE $gold (id BIGINT) USING delta", "INSERT INTO $gold VALUES (1)");
    s.clock.set(T0.plusSeconds(15 * 60));
    assertThat(groupStatus(s.send())).isEqualTo(GroupStatus.SYNCED);
    s.clock.set(T0.plusSeconds(20 * 60));
    assertThat(groupStatus(s.receive())).isEqualTo(GroupStatus.SYNCED);
    s.clock.set(Instant.parse("2026-01-05T09:00:00Z"));
    assertThat(s.runOrders(Duration.ofMinutes(10), "INSERT INTO $bronze VALUES (2)",
        "INSERT INTO $gold VALUES (2)")).isEqualTo(2);
    s.clock.set(Instant.parse("2026-01-05T10:00:00Z"));
    assertThat(s.runOrders(Duration.ofMinutes(10), "INSERT INTO $bronze VALUES (3)",
        "INSERT INTO $gold VALUES (3)")).isEqualTo(3);
    return s;
  }

  @Test
  void lagPastTheThresholdMailsOnceRemindsAfterAWindowAndRecoversOnce() throws Exception {
    DrScenario s = appliedRunOneThenTwoMoreRuns();
    DeltaSyncConfig config = config(s, 120, Optional.empty());
    String applied1 = syncId(s, 1);

    // 11:05: run 2 ended 1h 55m ago, under the 2 h threshold: no alert, no state written.
    s.clock.set(Instant.parse("2026-01-05T11:05:00Z"));
    StatusRun early = statusJob(s, config);
    assertThat(((Lag.Behind) early.orders().lag()).staleness()).isEqualTo(Duration.ofMinutes(115));
    assertThat(early.alerts()).isEqualTo(new LagAlerts.Result(List.of(), List.of()));
    assertThat(MAIL.getReceivedMessages()).isEmpty();
    assertThat(stateFile()).doesNotExist();

    // Run 4 (11:10-11:15). At 11:20 the newest run ended 5 minutes ago, but the secondary has
    // lacked run 2 for 2h 10m: that is what alerts.
    s.clock.set(Instant.parse("2026-01-05T11:10:00Z"));
    assertThat(s.runOrders(Duration.ofMinutes(5), "INSERT INTO $bronze VALUES (4)",
        "INSERT INTO $gold VALUES (4)")).isEqualTo(4);
    s.clock.set(Instant.parse("2026-01-05T11:20:00Z"));
    StatusRun lag = statusJob(s, config);

    Lag.Behind behind = (Lag.Behind) lag.orders().lag();
    assertThat(behind.lag()).isEqualTo(Duration.ofMinutes(5));
    assertThat(behind.staleness()).isEqualTo(Duration.ofMinutes(130));
    assertThat(behind.oldestNotHeld().runId()).isEqualTo(2);
    assertThat(behind.newestNotHeld().runId()).isEqualTo(4);
    assertThat(behind.runsBehind()).isEqualTo(3);
    assertThat(lag.alerts().problems()).isEmpty();
    assertThat(lag.alerts().sent()).containsExactly(
        new Sent("ws", "orders", Kind.LAG, List.of(mailTo(OWNER), HOOK_OK)));
    String lagText = "The secondary is 2h 10m behind (lag_alert_mins: 120): it does not hold"
        + " run 2, which ended 2026-01-05T09:10:00Z, nor 2 newer successful runs; the newest is"
        + " run 4, ended 2026-01-05T11:15:00Z. It holds run 1 (sync point #1).";
    MimeMessage[] mails = MAIL.getReceivedMessages();
    assertThat(mails).hasSize(1);
    assertThat(mails[0].getSubject()).isEqualTo("[deltasync] LAG orders (ws)");
    assertThat(to(mails[0])).containsExactly(OWNER);
    assertThat(body(mails[0])).isEqualTo("""
        deltasync status of group orders in workspace ws: LAG.

        %s

        Newest run not held: 4, ended 2026-01-05T11:15:00Z
        Applied sync id:     %s
        Checked:             2026-01-05T11:20:00Z""".formatted(lagText, applied1));
    assertThat(hookPosts()).singleElement().isEqualTo(JSON.readTree("""
        {"text": "[deltasync] LAG orders (ws): %1$s",
         "payload_version": 1, "workspace": "ws", "group": "orders", "phase": "STATUS",
         "outcome": "LAG", "sync_id": "%2$s", "run_id": 4,
         "run_end_time": "2026-01-05T11:15:00Z", "started_at": "2026-01-05T11:20:00Z",
         "finished_at": "2026-01-05T11:20:00Z", "error": "%1$s", "owner": "a@example.com",
         "tables": []}
        """.formatted(lagText, applied1)));
    // The state, next to the ledger, versioned; the standalone group is never in it.
    assertThat(JSON.readTree(stateFile().toFile())).isEqualTo(JSON.readTree("""
        {"format_version": 1, "workspace": "ws",
         "lagging": {"orders": {"first_alert_at": "2026-01-05T11:20:00Z",
                                "last_alert_at": "2026-01-05T11:20:00Z",
                                "staleness_seconds": 7800, "newest_run_not_held": 4}}}
        """));
    assertThat(lag.report().groups()).extracting(GroupReport::group)
        .containsExactly("orders", "reference");

    // 12:20, still lagging, inside the window (11:20 + 2 h): nothing new.
    s.clock.set(Instant.parse("2026-01-05T12:20:00Z"));
    assertThat(statusJob(s, config).alerts().sent()).isEmpty();
    // 13:19:59, one second before the window closes: nothing either.
    s.clock.set(Instant.parse("2026-01-05T13:19:59Z"));
    assertThat(statusJob(s, config).alerts().sent()).isEmpty();
    assertThat(MAIL.getReceivedMessages()).hasSize(1);
    assertThat(hookPosts()).hasSize(1);

    // 13:20, one window after the LAG and still lagging: one reminder.
    s.clock.set(Instant.parse("2026-01-05T13:20:00Z"));
    assertThat(statusJob(s, config).alerts().sent()).containsExactly(
        new Sent("ws", "orders", Kind.REMINDER, List.of(mailTo(OWNER), HOOK_OK)));
    mails = MAIL.getReceivedMessages();
    assertThat(mails).hasSize(2);
    assertThat(mails[1].getSubject()).isEqualTo("[deltasync] LAG orders (ws)");
    assertThat(body(mails[1])).contains("The secondary is 4h 10m behind (lag_alert_mins: 120):"
        + " it does not hold run 2, which ended 2026-01-05T09:10:00Z, nor 2 newer successful"
        + " runs; the newest is run 4, ended 2026-01-05T11:15:00Z. It holds run 1 (sync point"
        + " #1). Lagging since the first alert at 2026-01-05T11:20:00Z.");

    // The sender and receiver catch up with run 4: one RECOVERED, then silence.
    s.clock.set(Instant.parse("2026-01-05T13:25:00Z"));
    assertThat(groupStatus(s.send())).isEqualTo(GroupStatus.SYNCED);
    s.clock.set(Instant.parse("2026-01-05T13:30:00Z"));
    assertThat(groupStatus(s.receive())).isEqualTo(GroupStatus.SYNCED);
    s.clock.set(Instant.parse("2026-01-05T13:35:00Z"));
    StatusRun recovered = statusJob(s, config);
    assertThat(recovered.orders().lag()).isEqualTo(new Lag.UpToDate());
    assertThat(recovered.alerts().sent()).containsExactly(
        new Sent("ws", "orders", Kind.RECOVERED, List.of(mailTo(OWNER), HOOK_OK)));
    mails = MAIL.getReceivedMessages();
    assertThat(mails).hasSize(3);
    assertThat(mails[2].getSubject()).isEqualTo("[deltasync] RECOVERED orders (ws)");
    assertThat(to(mails[2])).containsExactly(OWNER);
    assertThat(body(mails[2])).isEqualTo("""
        deltasync status of group orders in workspace ws: RECOVERED.

        The secondary is within the lag alert threshold again.

        Run held:            4, ended 2026-01-05T11:15:00Z
        Applied sync id:     %s
        Checked:             2026-01-05T13:35:00Z""".formatted(syncId(s, 2)));
    assertThat(hookPosts()).hasSize(3);
    assertThat(hookPosts().get(2).get("text").asText())
        .isEqualTo("[deltasync] RECOVERED orders (ws)");
    assertThat(hookPosts().get(2).get("error").isNull()).isTrue();
    assertThat(JSON.readTree(stateFile().toFile()).get("lagging").size()).isZero();

    s.clock.set(Instant.parse("2026-01-05T13:40:00Z"));
    assertThat(statusJob(s, config).alerts().sent()).isEmpty();
    assertThat(MAIL.getReceivedMessages()).hasSize(3);
    assertThat(hookPosts()).hasSize(3);
  }

  @Test
  void aGroupsOwnThresholdOverridesTheWorkspacesBothWays() throws Exception {
    DrScenario s = appliedRunOneThenTwoMoreRuns();
    // 10:15: run 2 ended 65 minutes ago.
    s.clock.set(Instant.parse("2026-01-05T10:15:00Z"));

    // The workspace says 30 minutes, the group 600: the group's wins, no alert.
    assertThat(statusJob(s, config(s, 30, Optional.of(600))).alerts().sent()).isEmpty();
    assertThat(MAIL.getReceivedMessages()).isEmpty();

    // The workspace says 600, the group 60: LAG.
    assertThat(statusJob(s, config(s, 600, Optional.of(60))).alerts().sent()).containsExactly(
        new Sent("ws", "orders", Kind.LAG, List.of(mailTo(OWNER), HOOK_OK)));
    assertThat(body(MAIL.getReceivedMessages()[0])).contains("The secondary is 1h 05m behind"
        + " (lag_alert_mins: 60): it does not hold run 2, which ended 2026-01-05T09:10:00Z, nor 1"
        + " newer successful run; the newest is run 3, ended 2026-01-05T10:10:00Z. It holds run 1"
        + " (sync point #1).");
    // The workspace's own 600 minutes would not have alerted: the same lag is within it.
    assertThat(statusJob(s, config(s, 600, Optional.empty())).alerts().sent()).containsExactly(
        new Sent("ws", "orders", Kind.RECOVERED, List.of(mailTo(OWNER), HOOK_OK)));
  }

  @Test
  void standaloneGroupsNeverAlert() throws Exception {
    DrScenario s = new DrScenario(root, T0);
    SharedSpark.spark().sql("CREATE TABLE " + s.primary("c.s.countries").sqlIdentifier()
        + " (code STRING) USING delta");
    s.clock.set(T0.plusSeconds(15 * 60));
    s.send();
    // Two days later, nothing applied, a one-minute threshold: still nothing to alert about.
    s.clock.set(T0.plus(Duration.ofDays(2)));
    StatusRun run = statusJob(s, config(s, 1, Optional.empty()));
    GroupReport reference = run.report().groups().get(1);
    assertThat(reference.group()).isEqualTo("reference");
    assertThat(reference.lastStaged()).isPresent();
    assertThat(reference.lastApplied()).isEmpty();
    assertThat(run.alerts().sent()).extracting(Sent::group).doesNotContain("reference");
    assertThat(MAIL.getReceivedMessages()).allSatisfy(
        m -> assertThat(m.getSubject()).doesNotContain("reference"));
  }

  @Test
  void aNotificationEveryChannelRefusedNeverFailsStatusAndIsTriedAgain() throws Exception {
    DrScenario s = appliedRunOneThenTwoMoreRuns();
    s.clock.set(Instant.parse("2026-01-05T12:00:00Z"));
    hook.resetAll();
    hook.stubFor(post(HOOK_PATH).willReturn(aResponse().withStatus(500).withBody("down")));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    DeltaSyncConfig broken = config(s, "broken.json", 120, Optional.empty(), closedPort);

    StatusRun failed = statusJob(s, broken);

    assertThat(failed.alerts().sent()).singleElement().satisfies(sent -> {
      assertThat(sent.kind()).isEqualTo(Kind.LAG);
      assertThat(sent.deliveries()).extracting(Delivery::status)
          .containsExactly(Delivery.Status.FAILED, Delivery.Status.FAILED);
      assertThat(sent.deliveries().get(1).detail()).contains("HTTP 500")
          .doesNotContain("lag-token-never-log");
    });
    assertThat(failed.alerts().problems()).isEmpty();
    assertThat(stateFile()).doesNotExist();

    // The next run, with the channels back, sends the LAG no one received.
    resetHook();
    s.clock.set(Instant.parse("2026-01-05T12:15:00Z"));
    assertThat(statusJob(s, config(s, 120, Optional.empty())).alerts().sent()).containsExactly(
        new Sent("ws", "orders", Kind.LAG, List.of(mailTo(OWNER), HOOK_OK)));
    assertThat(MAIL.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aStateFromANewerReleaseIsReportedLeftAloneAndNothingIsSent() throws Exception {
    DrScenario s = appliedRunOneThenTwoMoreRuns();
    s.clock.set(Instant.parse("2026-01-05T12:00:00Z"));
    Files.createDirectories(stateFile().getParent());
    String newer = "{\"format_version\": 2, \"workspace\": \"ws\", \"lagging\": {}}";
    Files.writeString(stateFile(), newer);

    StatusRun run = statusJob(s, config(s, 120, Optional.empty()));

    assertThat(run.alerts().sent()).isEmpty();
    assertThat(run.alerts().problems()).containsExactly("ws: The lag alert state "
        + stateFile().toAbsolutePath() + " has format version 2, but this deltasync reads format"
        + " 1 at most: a newer deltasync wrote it. Upgrade the status job and the launcher to"
        + " that version; the file was left as it is and no lag alert was sent for this"
        + " workspace.");
    assertThat(Files.readString(stateFile())).isEqualTo(newer);
    assertThat(MAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void theStatusCommandAlertsOnlyWithAlert() throws Exception {
    DrScenario s = appliedRunOneThenTwoMoreRuns();
    // The command runs on the system clock: runs of January 2026 are far behind by now. The
    // webhook secret is not in the environment, so this config mails only.
    String json = Files.readString(s.configFile).replace("\"secret_scope\": \"dr-scope\",",
        ("\"secret_scope\": \"dr-scope\", \"notifications\": {\"smtp\": {\"host\": \"127.0.0.1\","
            + " \"port\": %d, \"from\": \"deltasync@example.com\", \"starttls\": false}},")
            .formatted(MAIL.getSmtp().getPort()));
    Path config = Files.writeString(root.resolve("cli.json"), json);

    StringWriter out = new StringWriter();
    CommandLine cli = DeltaSyncCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    assertThat(cli.execute("status", "--config", config.toString())).isZero();
    assertThat(out.toString()).doesNotContain("Alert");
    assertThat(MAIL.getReceivedMessages()).isEmpty();
    assertThat(stateFile()).doesNotExist();

    out.getBuffer().setLength(0);
    assertThat(cli.execute("status", "--config", config.toString(), "--alert")).isZero();
    assertThat(out.toString()).contains(
        "Alert LAG ws/orders: email sent (to a@example.com)" + System.lineSeparator());
    assertThat(MAIL.getReceivedMessages()).hasSize(1);
    assertThat(stateFile()).exists();

    out.getBuffer().setLength(0);
    assertThat(cli.execute("status", "--config", config.toString(), "--alert", "--json")).isZero();
    JsonNode second = JSON.readTree(out.toString());
    assertThat(second.at("/alerts/sent").size()).isZero();
    assertThat(second.at("/alerts/problems").size()).isZero();
    assertThat(second.at("/groups/0/lag/oldest_run_not_held").asLong()).isEqualTo(2);
    assertThat(MAIL.getReceivedMessages()).hasSize(1);
  }
}
