package io.deltasync.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.deltasync.config.SecretRef;
import io.deltasync.notify.Delivery.Status;
import io.deltasync.notify.Events.FakeSecrets;
import io.deltasync.testing.CapturedLogs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WebhookNotifier} against a local HTTP server (WireMock). */
class WebhookNotifierTest {

  private static final SecretRef URL_REF = new SecretRef("deltasync", "webhook_url");
  /** Slack-style: the token is part of the path, which is why the URL is a secret. */
  private static final String HOOK_PATH = "/services/T0001/B0002/tok-9x8y7z-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static WireMockServer server;

  @BeforeAll
  static void start() {
    server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  private static FakeSecrets secrets() {
    return new FakeSecrets(Map.of(URL_REF, "http://127.0.0.1:" + server.port() + HOOK_PATH));
  }

  private static List<LoggedRequest> posts() {
    return server.findAll(postRequestedFor(urlEqualTo(HOOK_PATH)));
  }

  @Test
  void postsTextForChatAndTheEventsFactsAsJson() throws Exception {
    server.stubFor(post(HOOK_PATH).willReturn(aResponse().withStatus(200).withBody("ok")));
    WebhookNotifier notifier =
        new WebhookNotifier(URL_REF, Recipients.of(Events.workspace()), secrets());

    List<Delivery> deliveries = notifier.notify(Events.failedSend());

    assertThat(deliveries)
        .containsExactly(new Delivery("webhook", Status.SENT, "HTTP 200 from 127.0.0.1"));
    assertThat(posts()).singleElement().satisfies(request -> {
      assertThat(request.getHeader("Content-Type")).isEqualTo("application/json; charset=UTF-8");
      JsonNode body = JSON.readTree(request.getBodyAsString());
      JsonNode expected = JSON.readTree("""
          {
            "text": "[deltasync] FAILED send sample_workflow_1 (dr_test_eastus2): Group sample_workflow_1: 1 of 2 tables failed; nothing was recorded",
            "payload_version": 1,
            "workspace": "dr_test_eastus2",
            "group": "sample_workflow_1",
            "phase": "SEND",
            "outcome": "FAILURE",
            "sync_id": "sp-0007",
            "run_id": 4711,
            "run_end_time": "2026-11-23T13:58:00Z",
            "started_at": "2026-11-23T14:00:00Z",
            "finished_at": "2026-11-23T14:01:05Z",
            "error": "Group sample_workflow_1: 1 of 2 tables failed; nothing was recorded",
            "owner": "owner@sales.example.com",
            "tables": [
              {"table": "dr_test_catalog.raw.workflow_1_bronze", "source_version": 12,
               "staging_version": 3, "target_version": null, "status": "OK", "error": null},
              {"table": "dr_test_catalog.stage.workflow_1_silver", "source_version": 5,
               "staging_version": null, "target_version": null, "status": "FAILED",
               "error": "Table dr_test_catalog.stage.workflow_1_silver: version 5 is no longer readable\\n(its files were vacuumed); run a full sync"}
            ]
          }
          """);
      assertThat(body).isEqualTo(expected);
    });
  }

  @Test
  void postsASuccessOnlyWhenSuccessNotificationsAreOn() {
    server.stubFor(post(HOOK_PATH).willReturn(aResponse().withStatus(204)));

    List<Delivery> off = new WebhookNotifier(URL_REF,
        Recipients.of(Events.workspace(Optional.of(Events.ONCALL), Optional.empty())), secrets())
        .notify(Events.succeededReceive());
    assertThat(off).containsExactly(new Delivery("webhook", Status.SKIPPED,
        "success notifications are off (sync_success_notification is not set)"));
    assertThat(posts()).isEmpty();

    List<Delivery> on = new WebhookNotifier(URL_REF, Recipients.of(Events.workspace()), secrets())
        .notify(Events.succeededReceive());
    assertThat(on).containsExactly(new Delivery("webhook", Status.SENT, "HTTP 204 from 127.0.0.1"));
    assertThat(posts()).singleElement().satisfies(request -> assertThat(
        JSON.readTree(request.getBodyAsString()).get("text").asText())
        .isEqualTo("[deltasync] SUCCEEDED receive sample_workflow_1 (dr_test_eastus2)"));
  }

  @Test
  void a500IsLoggedAtWarnWithoutTheUrlAndNeverThrown() {
    server.stubFor(post(HOOK_PATH)
        .withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
        .willReturn(aResponse().withStatus(500).withBody("internal_error")));
    WebhookNotifier notifier =
        new WebhookNotifier(URL_REF, Recipients.of(Events.workspace()), secrets());

    List<Delivery> deliveries;
    try (CapturedLogs logs = CapturedLogs.capture()) {
      deliveries = notifier.notify(Events.failedSend());

      assertThat(logs.at("WARN")).containsExactly(
          "WARN io.deltasync.notify.WebhookNotifier - Notification by webhook about group"
              + " sample_workflow_1 (send FAILED) to host 127.0.0.1 was not sent: SyncException:"
              + " The webhook at 127.0.0.1 answered HTTP 500 (internal_error): check that the"
              + " webhook still exists and accepts JSON posts; the sync itself is not affected");
      assertThat(logs.text()).doesNotContain("tok-9x8y7z-secret");
    }
    assertThat(deliveries).extracting(Delivery::status).containsExactly(Status.FAILED);
    assertThat(posts()).hasSize(1);
  }

  @Test
  void anUnreachableWebhookIsLoggedAtWarnAndNeverThrown() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    FakeSecrets secrets =
        new FakeSecrets(Map.of(URL_REF, "http://127.0.0.1:" + closedPort + HOOK_PATH));

    List<Delivery> deliveries;
    try (CapturedLogs logs = CapturedLogs.capture()) {
      deliveries = new WebhookNotifier(URL_REF, Recipients.of(Events.workspace()), secrets)
          .notify(Events.failedSend());

      assertThat(logs.at("WARN")).singleElement().satisfies(line -> assertThat(line).startsWith(
          "WARN io.deltasync.notify.WebhookNotifier - Notification by webhook about group"
              + " sample_workflow_1 (send FAILED) to host 127.0.0.1 was not sent:"
              + " ConnectException"));
      assertThat(logs.text()).doesNotContain("tok-9x8y7z-secret");
    }
    assertThat(deliveries).extracting(Delivery::status).containsExactly(Status.FAILED);
  }

  @Test
  void aSecretThatIsNotAUrlIsNamedByItsReferenceNotItsValue() {
    FakeSecrets secrets = new FakeSecrets(Map.of(URL_REF, "hooks slack com/tok-9x8y7z-secret"));

    List<Delivery> deliveries;
    try (CapturedLogs logs = CapturedLogs.capture()) {
      deliveries = new WebhookNotifier(URL_REF, Recipients.of(Events.workspace()), secrets)
          .notify(Events.failedSend());
      assertThat(logs.text()).doesNotContain("tok-9x8y7z-secret");
    }

    assertThat(deliveries).containsExactly(new Delivery("webhook", Status.FAILED,
        "SyncException: The webhook URL held in secret deltasync/webhook_url is not an absolute"
            + " http(s) URL: store the full URL that Slack or Teams gave you (https://...) in"
            + " that secret"));
  }
}
