package io.deltasync.notify;

import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who hears about a group event, from one workspace's config.
 *
 * <ul>
 *   <li>A <b>failure</b> is always announced: by email to the group's {@code group_owner_email}
 *       and to {@code sync_failure_notification}, and on the webhook.
 *   <li>A <b>lag alert</b> ({@code LAG}, and its {@code RECOVERED}) is announced as a failure is.
 *   <li>A <b>success</b> is announced only when {@code sync_success_notification} is set: by email
 *       to that address alone (owners are not mailed on every successful cycle), and on the
 *       webhook. Without it, successes stay in the logs and the metadata table.
 * </ul>
 *
 * <p>Each setting may hold one address or several separated by commas; duplicates are dropped,
 * config order kept.
 */
public final class Recipients {

  private final WorkspaceConfig workspace;

  private Recipients(WorkspaceConfig workspace) {
    this.workspace = workspace;
  }

  public static Recipients of(WorkspaceConfig workspace) {
    return new Recipients(workspace);
  }

  /** True when the event is announced at all: every failure, a success only when configured. */
  public boolean announces(GroupEvent event) {
    return event.failed() || event.lagAlert()
        || workspace.successNotification().filter(s -> !s.isBlank()).isPresent();
  }

  /** The email addresses for this event, in order: owner first, then the workspace's address. */
  public List<String> emails(GroupEvent event) {
    Set<String> addresses = new LinkedHashSet<>();
    if (event.failed() || event.lagAlert()) {
      workspace.group(event.group()).map(SyncGroup::ownerEmail).ifPresent(a -> addAll(addresses, a));
      workspace.failureNotification().ifPresent(a -> addAll(addresses, a));
    } else {
      workspace.successNotification().ifPresent(a -> addAll(addresses, a));
    }
    return List.copyOf(new ArrayList<>(addresses));
  }

  /** The group's owner, when the workspace names the group. */
  public Optional<String> owner(String group) {
    return workspace.group(group).map(SyncGroup::ownerEmail).filter(a -> !a.isBlank());
  }

  private static void addAll(Set<String> addresses, String setting) {
    if (setting == null) {
      return;
    }
    for (String address : setting.split(",")) {
      if (!address.isBlank()) {
        addresses.add(address.strip());
      }
    }
  }
}
