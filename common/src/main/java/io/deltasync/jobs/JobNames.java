package io.deltasync.jobs;

import java.util.Objects;

/**
 * The names of deltasync's own jobs in each workspace (as deployed by {@code deltasync deploy}).
 *
 * @param sender the sender job in the primary (syncs primary to secondary)
 * @param receiver the receiver job in the secondary
 * @param reverseSender the sender job deployed paused in the secondary (secondary to primary)
 */
public record JobNames(String sender, String receiver, String reverseSender) {

  public static final String DEFAULT_SENDER = "deltasync_sender";
  public static final String DEFAULT_RECEIVER = "deltasync_receiver";

  public JobNames {
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(reverseSender, "reverseSender");
  }

  public static JobNames defaults() {
    return new JobNames(DEFAULT_SENDER, DEFAULT_RECEIVER, DEFAULT_SENDER);
  }
}
