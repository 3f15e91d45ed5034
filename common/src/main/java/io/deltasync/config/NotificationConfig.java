package io.deltasync.config;

import java.util.Optional;

/**
 * How notifications leave deltasync. Both channels are optional.
 *
 * @param smtp email through an SMTP server
 * @param webhookUrl a secret holding the webhook URL (Slack and Teams URLs are credentials)
 */
public record NotificationConfig(Optional<SmtpConfig> smtp, Optional<SecretRef> webhookUrl) {

  /**
   * @param host SMTP host
   * @param port SMTP port
   * @param from the sender address
   * @param username optional login
   * @param password the secret holding the password, when a login is used
   * @param startTls whether to require STARTTLS
   */
  public record SmtpConfig(
      String host, int port, String from, Optional<String> username, Optional<SecretRef> password,
      boolean startTls) {}
}
