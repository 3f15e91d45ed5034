package io.deltasync.testing;

import io.deltasync.config.SecretRef;
import io.deltasync.databricks.SdkJobsControl;
import io.deltasync.databricks.WorkspaceClients;
import io.deltasync.config.Credentials;
import io.deltasync.jobs.JobNames;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.ledger.Region;
import io.deltasync.local.LocalJobsServer;
import io.deltasync.local.LocalJobsServer.Permission;
import io.deltasync.runtime.DrEngines;
import io.deltasync.secrets.EnvSecretProvider;
import io.deltasync.secrets.SecretProvider;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two workspaces of an embedded-mode test: one {@link LocalJobsServer} per region, holding the
 * jobs failover and failback switch (the given workflows, {@code deltasync_sender} and
 * {@code deltasync_receiver}, each scheduled and unpaused, as freshly deployed), and principal
 * {@value #PRINCIPAL} with CAN_MANAGE on each and a token of that workspace.
 *
 * <p>The config reaches them as on Databricks: {@link #jsonKeys()} or {@link #hoconKeys()} give
 * the workspace URLs and PAT keys ({@value #PRIMARY_PAT_KEY}, {@value #SECONDARY_PAT_KEY} in the
 * test's secret scope). A token is the environment's value of that secret when it is set (the
 * build sets it for scope {@code dr-tests}, so the commands read it as local runs read secrets),
 * else one the workspace issues; {@link #secrets()} and {@link #engines} hand the tokens to code
 * built in the test.
 */
public final class LocalWorkspaces implements AutoCloseable {

  /** The principal failover and failback act as in both workspaces. */
  public static final String PRINCIPAL = "deltasync-dr";
  public static final String PRIMARY_PAT_KEY = "primary-jobs-pat";
  public static final String SECONDARY_PAT_KEY = "secondary-jobs-pat";

  public final LocalJobsServer primary;
  public final LocalJobsServer secondary;
  private final Map<SecretRef, String> tokens = new HashMap<>();
  private final SecretRef primaryPat;
  private final SecretRef secondaryPat;

  private LocalWorkspaces(String scope, Clock clock, List<String> workflows,
      Map<String, LocalJobsServer.JobBody> secondaryBodies) {
    this.primaryPat = new SecretRef(scope, PRIMARY_PAT_KEY);
    this.secondaryPat = new SecretRef(scope, SECONDARY_PAT_KEY);
    Set<String> jobs = new LinkedHashSet<>(workflows);
    jobs.add(JobNames.DEFAULT_SENDER);
    jobs.add(JobNames.DEFAULT_RECEIVER);
    this.primary = LocalJobsServer.start("east", clock);
    this.secondary = LocalJobsServer.start("west", clock);
    setUp(primary, primaryPat, jobs, Map.of());
    setUp(secondary, secondaryPat, jobs, secondaryBodies);
  }

  /** Starts both workspaces with these workflows (plus the sender and receiver jobs) in each. */
  public static LocalWorkspaces start(String scope, Clock clock, String... workflows) {
    return new LocalWorkspaces(scope, clock, List.of(workflows), Map.of());
  }

  /**
   * Starts both workspaces with these workflows, each of which does what {@code secondaryBodies}
   * says when it runs in the secondary (nothing in the primary, and nothing for a job not named).
   */
  public static LocalWorkspaces start(String scope, Clock clock,
      Map<String, LocalJobsServer.JobBody> secondaryBodies, String... workflows) {
    return new LocalWorkspaces(scope, clock, List.of(workflows), secondaryBodies);
  }

  private void setUp(LocalJobsServer server, SecretRef pat, Set<String> jobs,
      Map<String, LocalJobsServer.JobBody> bodies) {
    for (String job : jobs) {
      long id = server.createScheduledJob(job, PauseStatus.UNPAUSED.name(),
          bodies.getOrDefault(job, (run, params) -> { }));
      server.grant(id, PRINCIPAL, Permission.CAN_MANAGE);
    }
    String fromEnvironment = System.getenv(EnvSecretProvider.variableName(pat));
    if (fromEnvironment == null) {
      tokens.put(pat, server.addPrincipal(PRINCIPAL, false));
    } else {
      server.addPrincipal(PRINCIPAL, false, fromEnvironment);
      tokens.put(pat, fromEnvironment);
    }
  }

  /** The workspace keys of a JSON config: both URLs and both PAT keys. */
  public String jsonKeys() {
    return """
        "workspace_instance_url": "%s",
        "secondary_workspace_instance_url": "%s",
        "workspace_pat_key": "%s",
        "secondary_workspace_pat_key": "%s",
        """.formatted(primary.host(), secondary.host(), PRIMARY_PAT_KEY, SECONDARY_PAT_KEY);
  }

  /** The workspace keys of a HOCON config: both URLs and both PAT keys. */
  public String hoconKeys() {
    return """
        workspace_instance_url = "%s"
        secondary_workspace_instance_url = "%s"
        workspace_pat_key = %s
        secondary_workspace_pat_key = %s
        """.formatted(primary.host(), secondary.host(), PRIMARY_PAT_KEY, SECONDARY_PAT_KEY);
  }

  /** The tokens, as the secret scope holds them. */
  public SecretProvider secrets() {
    return ref -> {
      String token = tokens.get(ref);
      if (token == null) {
        throw new IllegalArgumentException("no secret " + ref + " in the test workspaces");
      }
      return token;
    };
  }

  /** The production engines of failover and failback, with these workspaces' tokens. */
  public DrEngines engines(Clock clock) {
    return new DrEngines(clock, this::secrets);
  }

  /** The primary's jobs, through the SDK as {@link #PRINCIPAL}. */
  public JobsControl primaryJobs() {
    return jobs(primary, primaryPat);
  }

  /** The secondary's jobs, through the SDK as {@link #PRINCIPAL}. */
  public JobsControl secondaryJobs() {
    return jobs(secondary, secondaryPat);
  }

  private JobsControl jobs(LocalJobsServer server, SecretRef pat) {
    return new SdkJobsControl(server.workspace(),
        () -> WorkspaceClients.connect(server.host(), new Credentials.Pat(pat), secrets()).jobs());
  }

  /** The pause status of the job's schedule, as the workspace holds it. */
  public PauseStatus status(Region region, String job) {
    LocalJobsServer server = region == Region.PRIMARY ? primary : secondary;
    return PauseStatus.valueOf(
        server.settings(server.jobId(job)).path("schedule").path("pause_status").asText());
  }

  /** Sets the pause status of the job's schedule, through the SDK. */
  public void set(Region region, String job, PauseStatus status) {
    JobsControl jobs = region == Region.PRIMARY ? primaryJobs() : secondaryJobs();
    jobs.setPauseStatus(jobs.job(job), status);
  }

  @Override
  public void close() {
    primary.close();
    secondary.close();
  }
}
