package io.deltasync.failover;

import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.WorkspaceClient;
import io.deltasync.config.Credentials;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.databricks.SdkJobsControl;
import io.deltasync.databricks.WorkspaceClients;
import io.deltasync.jobs.JobNames;
import io.deltasync.jobs.JobsControl;
import io.deltasync.local.LocalJobsServer;
import io.deltasync.local.LocalJobsServer.Permission;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.sync.Sleeper;
import io.deltasync.table.TableName;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failback's halves as jobs of their regions: run-now through each workspace's own Jobs API (the
 * real SDK against two simulated workspaces), with that workspace's credentials, then wait.
 */
class JobRunStepsTest {

  private final Map<SecretRef, String> secretValues = new HashMap<>();
  private final SecretProvider secrets = secretValues::get;
  private LocalJobsServer primary;
  private LocalJobsServer secondary;

  @BeforeEach
  void start() {
    primary = LocalJobsServer.start("west", Clock.systemUTC());
    secondary = LocalJobsServer.start("east", Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    primary.close();
    secondary.close();
  }

  private static DeltaSyncConfig carried(String... groups) {
    List<SyncGroup> list = java.util.Arrays.stream(groups).map(g -> new SyncGroup("ws", g,
        "owner@example.com", Optional.of(g + "_flow"),
        List.of(TableMapping.sameName(TableName.parse("c.s." + g))))).toList();
    WorkspaceConfig ws = new WorkspaceConfig("ws", URI.create("http://127.0.0.1:1"),
        Optional.empty(), new Credentials.Pat(new SecretRef("scope", "pat")), "/sync-primary",
        "/sync-secondary", Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofMinutes(1), 0,
        Optional.empty(), Optional.empty(), list, Optional.empty());
    return new DeltaSyncConfig("scope", List.of(ws), Optional.empty());
  }

  private JobsControl control(LocalJobsServer workspace, String principal, long job,
      Permission level) {
    workspace.grant(job, principal, level);
    String token = workspace.addPrincipal(principal, false);
    SecretRef ref = new SecretRef("dr", workspace.workspace() + "-" + principal);
    secretValues.put(ref, token);
    WorkspaceClient client = WorkspaceClients.connect(workspace.host(), new Credentials.Pat(ref),
        secrets);
    return new SdkJobsControl(workspace.workspace(), client::jobs);
  }

  private JobRunSteps steps(JobsControl primaryJobs, JobsControl secondaryJobs) {
    return new JobRunSteps(ws -> primaryJobs, ws -> secondaryJobs, JobNames.defaults(),
        Clock.systemUTC(), Sleeper.system(), Duration.ofMillis(20), Duration.ofSeconds(30));
  }

  @Test
  void eachHalfRunsAsTheJobOfItsRegionWithTheCarriedGroups() {
    List<String> sent = new CopyOnWriteArrayList<>();
    List<String> received = new CopyOnWriteArrayList<>();
    long sender = secondary.createScheduledJob("deltasync_sender", "PAUSED",
        (run, params) -> sent.add(params.get(JobRunSteps.GROUPS_PARAMETER)));
    long receiver = primary.createScheduledJob("deltasync_receiver", "UNPAUSED",
        (run, params) -> received.add(params.get(JobRunSteps.GROUPS_PARAMETER)));
    JobRunSteps steps = steps(control(primary, "failback-sp", receiver, Permission.CAN_MANAGE_RUN),
        control(secondary, "failback-sp", sender, Permission.CAN_MANAGE_RUN));

    assertThat(steps.send(carried("orders", "stock"))).isEmpty();
    assertThat(sent).containsExactly("orders,stock");
    assertThat(received).isEmpty();
    assertThat(steps.receive(carried("orders", "stock"))).isEmpty();
    assertThat(received).containsExactly("orders,stock");
  }

  @Test
  void aFailedRunOrAMissingPermissionFailsTheStepWithTheWorkspacesAnswer() {
    long sender = secondary.createScheduledJob("deltasync_sender", "PAUSED", (run, params) -> {
      throw new IllegalStateException("staging location not writable");
    });
    long receiver = primary.createScheduledJob("deltasync_receiver", "UNPAUSED",
        (run, params) -> { });
    JobRunSteps steps = steps(control(primary, "viewer", receiver, Permission.CAN_VIEW),
        control(secondary, "failback-sp", sender, Permission.CAN_MANAGE_RUN));

    List<String> sendFailures = steps.send(carried("orders"));
    assertThat(sendFailures).hasSize(1);
    assertThat(sendFailures.get(0)).startsWith("Workspace east: job deltasync_sender run ")
        .contains(" ended FAILED");
    List<String> receiveFailures = steps.receive(carried("orders"));
    assertThat(receiveFailures).hasSize(1);
    assertThat(receiveFailures.get(0)).startsWith("job deltasync_receiver in west: ")
        .contains("HTTP 403").contains("PERMISSION_DENIED");
    assertThat(primary.runs(receiver)).isEmpty();
  }
}
