package io.deltasync.notify;

import java.util.List;

/**
 * Tells people what happened to a sync group: by email, by webhook, or both.
 *
 * <p>Contract, for every implementation:
 *
 * <ul>
 *   <li><b>Best effort.</b> A notification is sent at most once per call and is not retried; a
 *       lost notification loses no data, so the caller's sync goes on whatever happens here.
 *   <li><b>Never throws.</b> Any failure (a server down, a refused login, a missing secret, a
 *       timeout, a 5xx) is returned as a {@link Delivery.Status#FAILED} delivery and logged at WARN
 *       with the channel, the group and the reason.
 *   <li><b>Never reveals a secret.</b> Passwords and webhook URLs are read from the {@code
 *       SecretProvider} at send time and appear in no log line, no delivery detail and no
 *       exception message.
 *   <li><b>Bounded.</b> Each attempt has a connect and a read timeout, so a hung server delays a
 *       sync by seconds, never indefinitely.
 * </ul>
 */
public interface Notifier {

  /** A notifier that sends nothing: used when no channel is configured. */
  Notifier NONE = event -> List.of();

  /**
   * Sends what the event reports to whoever should hear about it.
   *
   * @return one delivery per channel tried (empty when there is nothing to send); never throws
   */
  List<Delivery> notify(GroupEvent event);

  /** The channel's name in logs and deliveries: {@code email}, {@code webhook}. */
  default String channel() {
    return getClass().isSynthetic() ? "notifier" : getClass().getSimpleName();
  }
}
