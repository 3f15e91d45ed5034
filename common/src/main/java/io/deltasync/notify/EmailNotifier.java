package io.deltasync.notify;

import io.deltasync.config.NotificationConfig.SmtpConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.secrets.SecretProvider;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a plain-text email through SMTP (jakarta.mail, Eclipse Angus) to the {@link Recipients}
 * of an event. The SMTP password is read from the {@link SecretProvider} for each message and is
 * never logged. Follows the {@link Notifier} contract: never throws.
 */
public final class EmailNotifier implements Notifier {

  public static final String CHANNEL = "email";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(EmailNotifier.class);

  private final SmtpConfig smtp;
  private final Recipients recipients;
  private final SecretProvider secrets;
  private final Duration timeout;

  public EmailNotifier(SmtpConfig smtp, Recipients recipients, SecretProvider secrets) {
    this(smtp, recipients, secrets, DEFAULT_TIMEOUT);
  }

  /** @param timeout connect, read and write timeout of the SMTP connection */
  public EmailNotifier(
      SmtpConfig smtp, Recipients recipients, SecretProvider secrets, Duration timeout) {
    this.smtp = Objects.requireNonNull(smtp, "smtp");
    this.recipients = Objects.requireNonNull(recipients, "recipients");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public String channel() {
    return CHANNEL;
  }

  @Override
  public List<Delivery> notify(GroupEvent event) {
    if (!recipients.announces(event)) {
      LOG.debug("No email about group {}: success notifications are off", event.group());
      return List.of(Delivery.skipped(CHANNEL,
          "success notifications are off (sync_success_notification is not set)"));
    }
    List<String> to = recipients.emails(event);
    if (to.isEmpty()) {
      LOG.warn("Notification by {} about group {} ({} {}) was not sent: no recipient;"
              + " set group_owner_email or sync_failure_notification",
          CHANNEL, event.group(), event.phase().word(), event.outcome().word());
      return List.of(Delivery.skipped(CHANNEL, "no recipient"));
    }
    List<String> secretValues = new ArrayList<>(1);
    try {
      send(event, to, secretValues);
      LOG.info("Notified {} by email about group {} ({} {})",
          String.join(", ", to), event.group(), event.phase().word(), event.outcome().word());
      return List.of(Delivery.sent(CHANNEL, "to " + String.join(", ", to)));
    } catch (Exception | LinkageError e) {
      // Best effort: whatever went wrong (server down, refused login, missing secret, a bad
      // address) is reported, never thrown. Only the masked message chain is logged.
      String reason = Reasons.of(e, secretValues);
      LOG.warn("Notification by {} about group {} ({} {}) to {} through {}:{} was not sent: {}",
          CHANNEL, event.group(), event.phase().word(), event.outcome().word(),
          String.join(", ", to), smtp.host(), smtp.port(), reason);
      return List.of(Delivery.failed(CHANNEL, reason));
    }
  }

  private void send(GroupEvent event, List<String> to, List<String> secretValues)
      throws MessagingException {
    Session session = Session.getInstance(properties());
    MimeMessage message = new MimeMessage(session);
    message.setFrom(address(smtp.from()));
    List<InternetAddress> addresses = new ArrayList<>(to.size());
    for (String recipient : to) {
      addresses.add(address(recipient));
    }
    message.setRecipients(Message.RecipientType.TO, addresses.toArray(new InternetAddress[0]));
    message.setSubject(EventText.subject(event), StandardCharsets.UTF_8.name());
    message.setText(EventText.body(event), StandardCharsets.UTF_8.name());
    message.setSentDate(Date.from(event.finishedAt()));
    message.setHeader("X-Deltasync-Group", event.group());

    if (smtp.username().isPresent()) {
      String password = smtp.password().map(secrets::secret).orElse("");
      secretValues.add(password);
      Transport.send(message, smtp.username().get(), password);
    } else {
      Transport.send(message);
    }
  }

  private Properties properties() {
    String millis = Long.toString(timeout.toMillis());
    Properties props = new Properties();
    props.setProperty("mail.transport.protocol", "smtp");
    props.setProperty("mail.smtp.host", smtp.host());
    props.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
    props.setProperty("mail.smtp.auth", Boolean.toString(smtp.username().isPresent()));
    props.setProperty("mail.smtp.starttls.enable", Boolean.toString(smtp.startTls()));
    props.setProperty("mail.smtp.starttls.required", Boolean.toString(smtp.startTls()));
    props.setProperty("mail.smtp.connectiontimeout", millis);
    props.setProperty("mail.smtp.timeout", millis);
    props.setProperty("mail.smtp.writetimeout", millis);
    // mail.debug would print the AUTH exchange (the password, base64) to stdout.
    props.setProperty("mail.debug", "false");
    props.setProperty("mail.debug.auth", "false");
    return props;
  }

  private static InternetAddress address(String text) {
    try {
      return new InternetAddress(text, true);
    } catch (AddressException e) {
      throw SyncErrors.emailAddressInvalid(text, e.getMessage());
    }
  }
}
