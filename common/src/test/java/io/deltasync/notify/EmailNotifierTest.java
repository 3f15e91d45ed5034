package io.deltasync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.deltasync.config.NotificationConfig.SmtpConfig;
import io.deltasync.config.SecretRef;
import io.deltasync.notify.Delivery.Status;
import io.deltasync.notify.Events.FakeSecrets;
import io.deltasync.testing.CapturedLogs;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link EmailNotifier} against a real SMTP server in-process (GreenMail). */
class EmailNotifierTest {

  private static final String USER = "deltasync@example.com";
  private static final String PASSWORD = "pw-7Hq2-never-log-me";
  private static final SecretRef PASSWORD_REF = new SecretRef("deltasync", "smtp_password");

  @RegisterExtension
  static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(
      ServerSetupTest.SMTP.dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser(USER, USER, PASSWORD))
      .withPerMethodLifecycle(true);

  private static final String FAILED_SEND_BODY = """
      deltasync send of group sample_workflow_1 in workspace dr_test_eastus2 FAILED.

      Error: Group sample_workflow_1: 1 of 2 tables failed; nothing was recorded

      Sync id:      sp-0007
      Workflow run: 4711, ended 2026-11-23T13:58:00Z
      Started:      2026-11-23T14:00:00Z
      Finished:     2026-11-23T14:01:05Z

      Tables (2):
      - dr_test_catalog.raw.workflow_1_bronze: source version 12, staging version 3, target version -, OK
      - dr_test_catalog.stage.workflow_1_silver: source version 5, staging version -, target version -, FAILED
        Error: Table dr_test_catalog.stage.workflow_1_silver: version 5 is no longer readable
          (its files were vacuumed); run a full sync
      """;

  private SmtpConfig smtp(Optional<String> username, Optional<SecretRef> password) {
    return new SmtpConfig("127.0.0.1", GREEN_MAIL.getSmtp().getPort(), "deltasync@example.com",
        username, password, false);
  }

  private static List<String> to(MimeMessage message) throws Exception {
    return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
        .map(Address::toString).toList();
  }

  /** How many messages the mailbox of {@code address} holds (GreenMail files one copy per address). */
  private static int inboxSize(String address) throws Exception {
    var user = GREEN_MAIL.getUserManager().getUserByEmail(address);
    assertThat(user).as("mailbox of %s", address).isNotNull();
    return GREEN_MAIL.getManagers().getImapHostManager().getInbox(user).getMessageCount();
  }

  /** The decoded text, CRLF as LF; SMTP does not keep the final line break, so neither side has it. */
  private static String body(MimeMessage message) throws Exception {
    return ((String) message.getContent()).replace("\r\n", "\n").stripTrailing();
  }

  @Test
  void failureGoesToTheOwnerAndTheFailureAddressNamingTablesVersionsAndError() throws Exception {
    EmailNotifier notifier = new EmailNotifier(
        smtp(Optional.empty(), Optional.empty()), Recipients.of(Events.workspace()),
        new FakeSecrets(Map.of()));

    List<Delivery> deliveries = notifier.notify(Events.failedSend());

    assertThat(deliveries).containsExactly(new Delivery("email", Status.SENT,
        "to owner@sales.example.com, dr-oncall@ops.example.com"));
    MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
    // One copy per mailbox, both of the same message.
    assertThat(received).hasSize(2);
    assertThat(inboxSize("owner@sales.example.com")).isEqualTo(1);
    assertThat(inboxSize("dr-oncall@ops.example.com")).isEqualTo(1);
    MimeMessage message = received[0];
    assertThat(message.getSubject())
        .isEqualTo("[deltasync] FAILED send sample_workflow_1 (dr_test_eastus2)");
    assertThat(to(message)).containsExactly("owner@sales.example.com", "dr-oncall@ops.example.com");
    assertThat(message.getFrom()).extracting(Address::toString)
        .containsExactly("deltasync@example.com");
    assertThat(message.getContentType()).startsWith("text/plain");
    assertThat(body(message)).isEqualTo(FAILED_SEND_BODY.stripTrailing());
  }

  @Test
  void successGoesOnlyToTheSuccessAddressNotToTheOwner() throws Exception {
    EmailNotifier notifier = new EmailNotifier(
        smtp(Optional.empty(), Optional.empty()), Recipients.of(Events.workspace()),
        new FakeSecrets(Map.of()));

    List<Delivery> deliveries = notifier.notify(Events.succeededReceive());

    assertThat(deliveries)
        .containsExactly(new Delivery("email", Status.SENT, "to dr-reports@ops.example.com"));
    MimeMessage[] received = GREEN_MAIL.getReceivedMessages();
    assertThat(received).hasSize(1);
    assertThat(received[0].getSubject())
        .isEqualTo("[deltasync] SUCCEEDED receive sample_workflow_1 (dr_test_eastus2)");
    assertThat(to(received[0])).containsExactly("dr-reports@ops.example.com");
    assertThat(body(received[0])).isEqualTo("""
        deltasync receive of group sample_workflow_1 in workspace dr_test_eastus2 SUCCEEDED.

        Sync id:      sp-0008
        Workflow run: 4712, ended 2026-11-23T13:58:00Z
        Started:      2026-11-23T14:00:00Z
        Finished:     2026-11-23T14:01:05Z

        Tables (2):
        - dr_test_catalog.raw.workflow_1_bronze: source version 13, staging version 4, target version 9, OK
        - dr_test_catalog.stage.workflow_1_silver: source version 6, staging version 2, target version 7, OK
        """.stripTrailing());
  }

  @Test
  void successIsNotMailedWhenNoSuccessAddressIsSet() {
    EmailNotifier notifier = new EmailNotifier(
        smtp(Optional.empty(), Optional.empty()),
        Recipients.of(Events.workspace(Optional.of(Events.ONCALL), Optional.empty())),
        new FakeSecrets(Map.of()));

    List<Delivery> deliveries = notifier.notify(Events.succeededReceive());

    assertThat(deliveries).containsExactly(new Delivery("email", Status.SKIPPED,
        "success notifications are off (sync_success_notification is not set)"));
    assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void logsInWithThePasswordFromTheSecretProviderAndNeverLogsIt() throws Exception {
    FakeSecrets secrets = new FakeSecrets(Map.of(PASSWORD_REF, PASSWORD));
    EmailNotifier notifier = new EmailNotifier(
        smtp(Optional.of(USER), Optional.of(PASSWORD_REF)), Recipients.of(Events.workspace()),
        secrets);

    List<Delivery> deliveries;
    try (CapturedLogs logs = CapturedLogs.capture()) {
      deliveries = notifier.notify(Events.failedSend());

      assertThat(logs.at("INFO")).anySatisfy(line -> assertThat(line).isEqualTo(
          "INFO io.deltasync.notify.EmailNotifier - Notified owner@sales.example.com,"
              + " dr-oncall@ops.example.com by email about group sample_workflow_1 (send FAILED)"));
      assertThat(logs.text()).doesNotContain(PASSWORD);
    }
    assertThat(deliveries).extracting(Delivery::status).containsExactly(Status.SENT);
    assertThat(secrets.asked).containsExactly(PASSWORD_REF);
    assertThat(GREEN_MAIL.getReceivedMessages()).hasSize(2);
  }

  @Test
  void aRefusedLoginIsLoggedAtWarnWithoutThePasswordAndNeverThrown() {
    String wrong = "wrong-" + PASSWORD;
    EmailNotifier notifier = new EmailNotifier(
        smtp(Optional.of(USER), Optional.of(PASSWORD_REF)), Recipients.of(Events.workspace()),
        new FakeSecrets(Map.of(PASSWORD_REF, wrong)));

    List<Delivery> deliveries;
    try (CapturedLogs logs = CapturedLogs.capture()) {
      deliveries = notifier.notify(Events.failedSend());

      assertThat(logs.at("WARN")).singleElement().satisfies(line -> assertThat(line)
          .startsWith("WARN io.deltasync.notify.EmailNotifier - Notification by email about group"
              + " sample_workflow_1 (send FAILED) to owner@sales.example.com, dr-oncall@ops.example.com"
              + " through 127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + " was not sent:"
              + " AuthenticationFailedException"));
      assertThat(logs.text()).doesNotContain(wrong).doesNotContain(PASSWORD);
    }
    assertThat(deliveries).singleElement().satisfies(d -> {
      assertThat(d.status()).isEqualTo(Status.FAILED);
      assertThat(d.detail()).startsWith("AuthenticationFailedException").doesNotContain(wrong);
    });
    assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void aServerThatIsDownIsLoggedAtWarnAndNeverThrown() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SmtpConfig down = new SmtpConfig("127.0.0.1", closedPort, "deltasync@example.com",
        Optional.of(USER), Optional.of(PASSWORD_REF), false);
    EmailNotifier notifier = new EmailNotifier(down, Recipients.of(Events.workspace()),
        new FakeSecrets(Map.of(PASSWORD_REF, PASSWORD)), Duration.ofSeconds(2));

    List<Delivery> deliveries;
    try (CapturedLogs logs = CapturedLogs.capture()) {
      deliveries = notifier.notify(Events.failedSend());

      assertThat(logs.at("WARN")).singleElement().satisfies(line -> assertThat(line)
          .startsWith("WARN io.deltasync.notify.EmailNotifier - Notification by email about group"
              + " sample_workflow_1 (send FAILED) to owner@sales.example.com, dr-oncall@ops.example.com"
              + " through 127.0.0.1:" + closedPort + " was not sent: MailConnectException:"
              + " Couldn't connect to host, port: 127.0.0.1, " + closedPort)
          .contains("caused by ConnectException: Connection refused"));
      assertThat(logs.text()).doesNotContain(PASSWORD);
    }
    assertThat(deliveries).extracting(Delivery::status).containsExactly(Status.FAILED);
  }

  @Test
  void aMissingPasswordSecretIsReportedByNameAndNothingIsSent() {
    EmailNotifier notifier = new EmailNotifier(
        smtp(Optional.of(USER), Optional.of(PASSWORD_REF)), Recipients.of(Events.workspace()),
        new FakeSecrets(Map.of()));

    List<Delivery> deliveries = notifier.notify(Events.failedSend());

    assertThat(deliveries).containsExactly(new Delivery("email", Status.FAILED,
        "SyncException: Secret deltasync/smtp_password does not exist:"
            + " create it with databricks secrets put-secret"));
    assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void aMalformedAddressIsNamedAndNothingIsSent() {
    EmailNotifier notifier = new EmailNotifier(
        smtp(Optional.empty(), Optional.empty()),
        Recipients.of(Events.workspace(Optional.of("oncall at example"), Optional.empty())),
        new FakeSecrets(Map.of()));

    List<Delivery> deliveries = notifier.notify(Events.failedSend());

    assertThat(deliveries).singleElement().satisfies(d -> {
      assertThat(d.status()).isEqualTo(Status.FAILED);
      assertThat(d.detail()).startsWith("SyncException: Email address \"oncall at example\" is"
          + " not valid (").endsWith("): fix group_owner_email, sync_failure_notification or"
          + " sync_success_notification in the config");
    });
    assertThat(GREEN_MAIL.getReceivedMessages()).isEmpty();
  }
}
