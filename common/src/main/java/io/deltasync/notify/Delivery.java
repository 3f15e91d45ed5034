package io.deltasync.notify;

import java.util.Objects;

/**
 * What became of one notification on one channel. Returned instead of thrown, because a
 * notification never fails a sync.
 *
 * @param channel {@code email} or {@code webhook}
 * @param status sent, skipped (nothing to send) or failed (logged at WARN)
 * @param detail to whom or where it went, or why it was skipped or failed; never a secret
 */
public record Delivery(String channel, Status status, String detail) {

  /** What became of a notification. */
  public enum Status {
    SENT,
    SKIPPED,
    FAILED
  }

  public Delivery {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  static Delivery sent(String channel, String detail) {
    return new Delivery(channel, Status.SENT, detail);
  }

  static Delivery skipped(String channel, String detail) {
    return new Delivery(channel, Status.SKIPPED, detail);
  }

  static Delivery failed(String channel, String detail) {
    return new Delivery(channel, Status.FAILED, detail);
  }
}
