package io.deltasync.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.NotificationConfig;
import io.deltasync.config.NotificationConfig.SmtpConfig;
import io.deltasync.config.SecretRef;
import io.deltasync.notify.Delivery.Status;
import io.deltasync.notify.Events.FakeSecrets;
import io.deltasync.testing.CapturedLogs;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fan-out: every configured channel is tried, one failing never stops another. */
class NotificationsTest {

  private static final SecretRef URL_REF = new SecretRef("deltasync", "webhook_url");

  @Test
  void triesEveryChannelEvenWhenTheFirstFails() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    WireMockServer hook = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    hook.start();
    try {
      hook.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
      NotificationConfig config = new NotificationConfig(
          Optional.of(new SmtpConfig("127.0.0.1", closedPort, "deltasync@example.com",
              Optional.empty(), Optional.empty(), false)),
          Optional.of(URL_REF));
      FakeSecrets secrets =
          new FakeSecrets(Map.of(URL_REF, "http://127.0.0.1:" + hook.port() + "/hook"));

      Notifications notifications = Notifications.from(config, Events.workspace(), secrets);
      List<Delivery> deliveries = notifications.notify(Events.failedSend());

      assertThat(notifications.channels()).hasExactlyElementsOfTypes(
          EmailNotifier.class, WebhookNotifier.class);
      assertThat(deliveries).extracting(Delivery::channel, Delivery::status).containsExactly(
          org.assertj.core.groups.Tuple.tuple("email", Status.FAILED),
          org.assertj.core.groups.Tuple.tuple("webhook", Status.SENT));
      assertThat(hook.getAllServeEvents()).hasSize(1);
    } finally {
      hook.stop();
    }
  }

  @Test
  void aNotifierThatBreaksTheContractStillDoesNotFailTheSync() {
    Notifier broken = event -> {
      throw new IllegalStateException("password=hunter2 leaked by a careless notifier");
    };
    Notifications notifications = new Notifications(List.of(broken, event ->
        List.of(new Delivery("fake", Status.SENT, "ok"))));

    List<Delivery> deliveries;
    try (CapturedLogs logs = CapturedLogs.capture()) {
      deliveries = notifications.notify(Events.failedSend());
      assertThat(logs.at("WARN")).singleElement().satisfies(line -> assertThat(line)
          .isEqualTo("WARN io.deltasync.notify.Notifications - Notification by notifier about group sample_workflow_1 (send FAILED) was not sent: it threw"
              + " java.lang.IllegalStateException"));
      assertThat(logs.text()).doesNotContain("hunter2");
    }
    assertThat(deliveries).containsExactly(
        new Delivery("notifier", Status.FAILED, "threw java.lang.IllegalStateException"),
        new Delivery("fake", Status.SENT, "ok"));
  }

  @Test
  void noChannelConfiguredSendsNothing() {
    DeltaSyncConfig config =
        new DeltaSyncConfig("deltasync", List.of(Events.workspace()), Optional.empty());

    Notifications notifications =
        Notifications.from(config, Events.workspace(), new FakeSecrets(Map.of()));

    assertThat(notifications.channels()).isEmpty();
    assertThat(notifications.notify(Events.failedSend())).isEmpty();
  }
}
