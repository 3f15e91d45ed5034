package io.deltasync.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One primary workspace, its secondary, and the groups synced between them.
 *
 * @param name {@code workspace_name}
 * @param url {@code workspace_instance_url}, the primary workspace
 * @param secondaryUrl {@code secondary_workspace_instance_url}, needed by failover and failback
 * @param credentials where the primary workspace's Jobs API credentials live (a secret scope and
 *     keys): {@code workspace_pat_key}, or {@code workspace_client_id_key} and
 *     {@code workspace_client_secret_key}
 * @param secondaryCredentials where the secondary workspace's live, when it has its own:
 *     {@code secondary_workspace_pat_key}, or {@code secondary_workspace_client_id_key} and
 *     {@code secondary_workspace_client_secret_key}; when absent the secondary is reached with
 *     {@code credentials} (an OAuth service principal added to both workspaces)
 * @param syncLocationPrimary {@code sync_location_primary}: staging for failback (secondary to primary)
 * @param syncLocationSecondary {@code sync_location_secondary}: staging and the ledger
 * @param syncInterval {@code sync_interval_mins}
 * @param failoverInterval {@code sync_failover_interval_mins}
 * @param failoverDeadline {@code failover_deadline_mins}: how long failover keeps asking the primary
 * @param maxRetries {@code sync_max_retries}
 * @param failureNotification {@code sync_failure_notification}
 * @param successNotification {@code sync_success_notification}
 * @param groups {@code sync_groups}
 * @param local {@code local}: present in embedded mode, where regions are local folders
 * @param lagAlert {@code lag_alert_mins}: how stale the secondary may get before status alerts,
 *     unless a group overrides it ({@link SyncGroup#lagAlert()})
 * @param ledgerCatalog {@code ledger_catalog}: the Unity Catalog catalog in which the sender and
 *     the receiver on Databricks register the ledger as {@code <catalog>.deltasync.ledger}; empty
 *     when the ledger stays a bare path
 * @param parallelism {@code sync_parallel_groups}, {@code sync_parallel_tables} and
 *     {@code group_timeout_mins}
 */
public record WorkspaceConfig(
    String name,
    URI url,
    Optional<URI> secondaryUrl,
    Credentials credentials,
    Optional<Credentials> secondaryCredentials,
    String syncLocationPrimary,
    String syncLocationSecondary,
    Duration syncInterval,
    Duration failoverInterval,
    Duration failoverDeadline,
    int maxRetries,
    Optional<String> failureNotification,
    Optional<String> successNotification,
    List<SyncGroup> groups,
    Optional<LocalRegions> local,
    Duration lagAlert,
    Optional<String> ledgerCatalog,
    Parallelism parallelism) {

  /** {@code lag_alert_mins} when the config does not set it. */
  public static final Duration DEFAULT_LAG_ALERT = Duration.ofMinutes(120);

  public WorkspaceConfig {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(secondaryCredentials, "secondaryCredentials");
    groups = List.copyOf(groups);
    Objects.requireNonNull(lagAlert, "lagAlert");
    Objects.requireNonNull(parallelism, "parallelism");
    if (lagAlert.isNegative() || lagAlert.isZero()) {
      throw new IllegalArgumentException("lagAlert must be positive, got " + lagAlert);
    }
    Objects.requireNonNull(ledgerCatalog, "ledgerCatalog");
  }

  /**
   * As the canonical constructor, with no {@code ledger_catalog} and one group and one table at a
   * time ({@link Parallelism#SEQUENTIAL}): a workspace built in code opts in to parallelism with
   * {@link #withParallelism}. A config file's workspace gets {@link Parallelism#DEFAULTS} unless it
   * sets the keys.
   */
  public WorkspaceConfig(String name, URI url, Optional<URI> secondaryUrl, Credentials credentials,
      Optional<Credentials> secondaryCredentials, String syncLocationPrimary,
      String syncLocationSecondary, Duration syncInterval, Duration failoverInterval,
      Duration failoverDeadline, int maxRetries, Optional<String> failureNotification,
      Optional<String> successNotification, List<SyncGroup> groups, Optional<LocalRegions> local,
      Duration lagAlert) {
    this(name, url, secondaryUrl, credentials, secondaryCredentials, syncLocationPrimary,
        syncLocationSecondary, syncInterval, failoverInterval, failoverDeadline, maxRetries,
        failureNotification, successNotification, groups, local, lagAlert, Optional.empty(),
        Parallelism.SEQUENTIAL);
  }

  /** This workspace with {@code value} as its parallelism. */
  public WorkspaceConfig withParallelism(Parallelism value) {
    return new WorkspaceConfig(name, url, secondaryUrl, credentials, secondaryCredentials,
        syncLocationPrimary, syncLocationSecondary, syncInterval, failoverInterval,
        failoverDeadline, maxRetries, failureNotification, successNotification, groups, local,
        lagAlert, ledgerCatalog, value);
  }

  /** As the canonical constructor, with {@link #DEFAULT_LAG_ALERT}. */
  public WorkspaceConfig(String name, URI url, Optional<URI> secondaryUrl, Credentials credentials,
      Optional<Credentials> secondaryCredentials, String syncLocationPrimary,
      String syncLocationSecondary, Duration syncInterval, Duration failoverInterval,
      Duration failoverDeadline, int maxRetries, Optional<String> failureNotification,
      Optional<String> successNotification, List<SyncGroup> groups, Optional<LocalRegions> local) {
    this(name, url, secondaryUrl, credentials, secondaryCredentials, syncLocationPrimary,
        syncLocationSecondary, syncInterval, failoverInterval, failoverDeadline, maxRetries,
        failureNotification, successNotification, groups, local, DEFAULT_LAG_ALERT);
  }

  /** The lag alert threshold of {@code group}: its own {@code lag_alert_mins}, else this one's. */
  public Duration lagAlert(SyncGroup group) {
    return group.lagAlert().orElse(lagAlert);
  }

  /** A workspace whose secondary is reached with the primary's credentials. */
  public WorkspaceConfig(
      String name,
      URI url,
      Optional<URI> secondaryUrl,
      Credentials credentials,
      String syncLocationPrimary,
      String syncLocationSecondary,
      Duration syncInterval,
      Duration failoverInterval,
      Duration failoverDeadline,
      int maxRetries,
      Optional<String> failureNotification,
      Optional<String> successNotification,
      List<SyncGroup> groups,
      Optional<LocalRegions> local) {
    this(name, url, secondaryUrl, credentials, Optional.empty(), syncLocationPrimary,
        syncLocationSecondary, syncInterval, failoverInterval, failoverDeadline, maxRetries,
        failureNotification, successNotification, groups, local);
  }

  /** The credentials the SDK client of the primary workspace ({@link #url}) uses. */
  public Credentials primaryWorkspaceCredentials() {
    return credentials;
  }

  /**
   * The credentials the SDK client of the secondary workspace ({@link #secondaryUrl}) uses: its
   * own when configured, else the primary's.
   */
  public Credentials secondaryWorkspaceCredentials() {
    return secondaryCredentials.orElse(credentials);
  }

  public Optional<SyncGroup> group(String groupName) {
    return groups.stream().filter(g -> g.name().equals(groupName)).findFirst();
  }

  /** This workspace with another embedded-mode view of the regions (a job's confined view). */
  public WorkspaceConfig withLocal(Optional<LocalRegions> value) {
    return new WorkspaceConfig(name, url, secondaryUrl, credentials, secondaryCredentials,
        syncLocationPrimary, syncLocationSecondary, syncInterval, failoverInterval,
        failoverDeadline, maxRetries, failureNotification, successNotification, groups, value,
        lagAlert, ledgerCatalog, parallelism);
  }

  /** This workspace with only {@code value} as its groups. */
  public WorkspaceConfig withGroups(List<SyncGroup> value) {
    return new WorkspaceConfig(name, url, secondaryUrl, credentials, secondaryCredentials,
        syncLocationPrimary, syncLocationSecondary, syncInterval, failoverInterval,
        failoverDeadline, maxRetries, failureNotification, successNotification, value, local,
        lagAlert, ledgerCatalog, parallelism);
  }

  /** True when regions are local folders and runs come from the local run log. */
  public boolean embedded() {
    return local.isPresent();
  }

  /**
   * True in embedded mode without {@code local.jobs_api}: no workspace runs this workspace's jobs
   * (no {@code ./deltasync workspace}), so failback runs its halves in this process, each confined
   * to its region. Pausing and unpausing go through each workspace's Jobs API either way.
   */
  public boolean halvesInProcess() {
    return local.map(l -> !l.jobsApi()).orElse(false);
  }
}
