package io.deltasync.errors;

import io.deltasync.errors.SyncException.Kind;

/**
 * Every user-facing error deltasync raises, in one place (as Delta Kernel's {@code DeltaErrors}).
 * Each message names the values involved (key, table, version, path), says why, and says what to
 * do. Secrets are never passed in.
 *
 * <p>Sections follow the packages; add a factory method to the section of the code that raises it.
 */
public final class SyncErrors {

  private SyncErrors() {}

  // ---------------------------------------------------------------------------------------------
  // Usage and config

  public static SyncException usage(String message) {
    return new SyncException(Kind.USAGE, message);
  }

  public static SyncException invalidConfig(String source, java.util.List<String> problems) {
    StringBuilder text = new StringBuilder();
    text.append("Config ").append(source).append(" has ").append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems").append(':');
    for (String problem : problems) {
      text.append(System.lineSeparator()).append("  ").append(problem);
    }
    return new SyncException(Kind.USAGE, text.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Tables and cloning


  // ---------------------------------------------------------------------------------------------
  // Workflow runs, Jobs API and secrets


  // ---------------------------------------------------------------------------------------------
  // Ledger, sender and receiver


  // ---------------------------------------------------------------------------------------------
  // Failover and failback


  // ---------------------------------------------------------------------------------------------
  // Notifications (never thrown out of a Notifier: turned into a WARN and a FAILED delivery)

  public static SyncException webhookUrlInvalid(io.deltasync.config.SecretRef secret) {
    return new SyncException(Kind.FATAL,
        "The webhook URL held in secret " + secret + " is not an absolute http(s) URL: store the"
            + " full URL that Slack or Teams gave you (https://...) in that secret");
  }

  public static SyncException webhookRejected(String host, int status, String answer) {
    return new SyncException(Kind.RETRYABLE,
        "The webhook at " + host + " answered HTTP " + status
            + (answer.isBlank() ? "" : " (" + answer + ")")
            + ": check that the webhook still exists and accepts JSON posts;"
            + " the sync itself is not affected");
  }

  public static SyncException emailAddressInvalid(String address, String reason) {
    return new SyncException(Kind.USAGE,
        "Email address \"" + address + "\" is not valid (" + reason + "): fix group_owner_email,"
            + " sync_failure_notification or sync_success_notification in the config");
  }

}
