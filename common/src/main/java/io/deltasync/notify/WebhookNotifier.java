package io.deltasync.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.config.SecretRef;
import io.deltasync.errors.SyncErrors;
import io.deltasync.notify.GroupEvent.TableEvent;
import io.deltasync.secrets.SecretProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts an event as JSON to a webhook (Slack or Teams incoming webhooks, or any HTTP endpoint).
 * The payload's {@code text} is what chat tools display; the other fields carry the same facts
 * for machines (see {@link #payload}). The URL is a secret (Slack and Teams put the token in it):
 * it is read from the {@link SecretProvider} per post and only its host is ever logged. Follows
 * the {@link Notifier} contract: never throws. Successes are posted only when {@link Recipients}
 * announces them.
 */
public final class WebhookNotifier implements Notifier {

  public static final String CHANNEL = "webhook";
  /** Version of the JSON payload's layout. */
  public static final int PAYLOAD_VERSION = 1;

  private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretRef url;
  private final Recipients recipients;
  private final SecretProvider secrets;
  private final Duration timeout;
  private final HttpClient client;

  public WebhookNotifier(SecretRef url, Recipients recipients, SecretProvider secrets) {
    this(url, recipients, secrets, EmailNotifier.DEFAULT_TIMEOUT);
  }

  /** @param timeout connect timeout, and the time allowed for the whole answer */
  public WebhookNotifier(
      SecretRef url, Recipients recipients, SecretProvider secrets, Duration timeout) {
    this.url = Objects.requireNonNull(url, "url");
    this.recipients = Objects.requireNonNull(recipients, "recipients");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public String channel() {
    return CHANNEL;
  }

  @Override
  public List<Delivery> notify(GroupEvent event) {
    if (!recipients.announces(event)) {
      return List.of(Delivery.skipped(CHANNEL,
          "success notifications are off (sync_success_notification is not set)"));
    }
    List<String> secretValues = new ArrayList<>(1);
    String host = "?";
    try {
      String target = secrets.secret(url);
      secretValues.add(target);
      URI uri = uri(target);
      host = uri.getHost();
      HttpRequest request = HttpRequest.newBuilder(uri)
          .timeout(timeout)
          .header("Content-Type", "application/json; charset=UTF-8")
          .POST(HttpRequest.BodyPublishers.ofString(
              JSON.writeValueAsString(payload(event, recipients)), StandardCharsets.UTF_8))
          .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw SyncErrors.webhookRejected(host, response.statusCode(), snippet(response.body()));
      }
      LOG.info("Notified the webhook at {} about group {} ({} {})",
          host, event.group(), event.phase().word(), event.outcome().word());
      return List.of(Delivery.sent(CHANNEL, "HTTP " + response.statusCode() + " from " + host));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(event, host, Reasons.of(e, secretValues));
    } catch (IOException | RuntimeException | LinkageError e) {
      return failed(event, host, Reasons.of(e, secretValues));
    }
  }

  private List<Delivery> failed(GroupEvent event, String host, String reason) {
    LOG.warn("Notification by {} about group {} ({} {}) to host {} was not sent: {}",
        CHANNEL, event.group(), event.phase().word(), event.outcome().word(), host, reason);
    return List.of(Delivery.failed(CHANNEL, reason));
  }

  private URI uri(String target) {
    try {
      URI uri = new URI(target.strip());
      String scheme = uri.getScheme();
      if (uri.getHost() == null
          || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
        throw SyncErrors.webhookUrlInvalid(url.toString());
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      // The exception's message quotes the URL: do not chain it.
      throw SyncErrors.webhookUrlInvalid(url.toString());
    }
  }

  private static String snippet(String body) {
    String line = body == null ? "" : body.strip().replace('\n', ' ').replace('\r', ' ');
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  /**
   * The JSON posted: {@code text} (one line, what Slack and Teams show) followed by the event's
   * facts in snake_case: {@code payload_version, workspace, group, phase, outcome, sync_id,
   * run_id, run_end_time, started_at, finished_at, error, owner, tables[{table, source_version,
   * staging_version, target_version, status, error}]}. Absent values are JSON {@code null}.
   */
  static ObjectNode payload(GroupEvent event, Recipients recipients) {
    ObjectNode root = JSON.createObjectNode();
    root.put("text", EventText.headline(event));
    root.put("payload_version", PAYLOAD_VERSION);
    root.put("workspace", event.workspace());
    root.put("group", event.group());
    root.put("phase", event.phase().name());
    root.put("outcome", event.outcome().name());
    root.put("sync_id", event.syncId().orElse(null));
    putVersion(root, "run_id", event.runId());
    root.put("run_end_time", event.runEndTime().map(Object::toString).orElse(null));
    root.put("started_at", event.startedAt().toString());
    root.put("finished_at", event.finishedAt().toString());
    root.put("error", event.error().orElse(null));
    root.put("owner", recipients.owner(event.group()).orElse(null));
    ArrayNode tables = root.putArray("tables");
    for (TableEvent table : event.tables()) {
      ObjectNode node = tables.addObject();
      node.put("table", table.table());
      putVersion(node, "source_version", table.sourceVersion());
      putVersion(node, "staging_version", table.stagingVersion());
      putVersion(node, "target_version", table.targetVersion());
      node.put("status", table.failed() ? "FAILED" : "OK");
      node.put("error", table.error().orElse(null));
    }
    return root;
  }

  private static void putVersion(ObjectNode node, String field, OptionalLong value) {
    if (value.isPresent()) {
      node.put(field, value.getAsLong());
    } else {
      node.putNull(field);
    }
  }
}
