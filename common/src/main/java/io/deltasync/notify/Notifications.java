package io.deltasync.notify;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.NotificationConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.secrets.SecretProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every configured channel of one workspace behind one {@link Notifier}: email when {@code smtp}
 * is configured, a webhook when {@code webhook_url} is. Each channel is tried independently; one
 * failing never stops another, and nothing here ever throws.
 */
public final class Notifications implements Notifier {

  private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

  private final List<Notifier> channels;

  public Notifications(List<Notifier> channels) {
    this.channels = List.copyOf(channels);
  }

  /** The channels the config asks for, reaching the recipients of {@code workspace}. */
  public static Notifications from(
      NotificationConfig config, WorkspaceConfig workspace, SecretProvider secrets) {
    Recipients recipients = Recipients.of(workspace);
    List<Notifier> channels = new ArrayList<>(2);
    config.smtp().ifPresent(smtp -> channels.add(new EmailNotifier(smtp, recipients, secrets)));
    config.webhookUrl().ifPresent(url -> channels.add(new WebhookNotifier(url, recipients, secrets)));
    return new Notifications(channels);
  }

  /** As {@link #from(NotificationConfig, WorkspaceConfig, SecretProvider)}; none when unset. */
  public static Notifications from(
      DeltaSyncConfig config, WorkspaceConfig workspace, SecretProvider secrets) {
    Optional<NotificationConfig> notifications = config.notifications();
    return notifications.isPresent()
        ? from(notifications.get(), workspace, secrets)
        : new Notifications(List.of());
  }

  /** The configured channels of every workspace of {@code config}, by {@code workspace_name}. */
  public static Map<String, Notifier> byWorkspace(DeltaSyncConfig config, SecretProvider secrets) {
    Map<String, Notifier> byWorkspace = new HashMap<>();
    for (WorkspaceConfig workspace : config.workspaces()) {
      byWorkspace.put(workspace.name(), from(config, workspace, secrets));
    }
    return Map.copyOf(byWorkspace);
  }

  public List<Notifier> channels() {
    return channels;
  }

  @Override
  public List<Delivery> notify(GroupEvent event) {
    List<Delivery> deliveries = new ArrayList<>(channels.size());
    for (Notifier channel : channels) {
      try {
        deliveries.addAll(channel.notify(event));
      } catch (RuntimeException | LinkageError e) {
        // The contract says a Notifier never throws; a broken one must still not fail the sync.
        // Its message is not logged: this notifier is not known to keep secrets out of it.
        LOG.warn("Notification by {} about group {} ({} {}) was not sent: it threw {}",
            channel.channel(), event.group(), event.phase().word(),
            event.outcome().word(), e.getClass().getName());
        deliveries.add(Delivery.failed(channel.channel(),
            "threw " + e.getClass().getName()));
      }
    }
    return List.copyOf(deliveries);
  }
}
