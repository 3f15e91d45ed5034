package io.deltasync.failover;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.deltasync.config.Credentials;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.databricks.WorkspaceClients;
import io.deltasync.errors.SyncException;
import io.deltasync.jobs.JobRef;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseChange;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.runtime.DrEngines;
import io.deltasync.secrets.EnvSecretProvider;
import io.deltasync.table.TableName;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each workspace is reached with its own credentials: the real Databricks SDK against one WireMock
 * server per workspace, each accepting only its own workspace's token and answering 401 to any
 * other, as a Databricks workspace answers a PAT issued by another workspace.
 */
class PerRegionCredentialsTest {

  static final String EAST_TOKEN = "dapi-east-SECRET-0001";
  static final String WEST_TOKEN = "dapi-west-SECRET-0002";
  static final String WEST_CLIENT_ID = "sp-west-id";
  static final String WEST_CLIENT_SECRET = "west-SECRET-client-secret";
  static final String WEST_M2M_TOKEN = "west-m2m-SECRET-access";
  static final SecretRef EAST_PAT = new SecretRef("dr", "pat-east");
  static final SecretRef WEST_PAT = new SecretRef("dr", "pat-west");
  static final SecretRef WEST_ID = new SecretRef("dr", "sp-west-id");
  static final SecretRef WEST_SECRET = new SecretRef("dr", "sp-west-secret");
  static final EnvSecretProvider SECRETS = new EnvSecretProvider(Map.of(
      EnvSecretProvider.variableName(EAST_PAT), EAST_TOKEN,
      EnvSecretProvider.variableName(WEST_PAT), WEST_TOKEN,
      EnvSecretProvider.variableName(WEST_ID), WEST_CLIENT_ID,
      EnvSecretProvider.variableName(WEST_SECRET), WEST_CLIENT_SECRET));
  static final Set<String> SECRET_VALUES =
      Set.of(EAST_TOKEN, WEST_TOKEN, WEST_CLIENT_SECRET, WEST_M2M_TOKEN);

  /** The primary workspace: sample_workflow_1 is job 11 there. */
  WireMockServer east;
  /** The secondary workspace: sample_workflow_1 is job 22 there. */
  WireMockServer west;
  final DrEngines engines = new DrEngines(Clock.systemUTC(), () -> SECRETS);

  @BeforeEach
  void start() {
    east = workspace("Bearer " + EAST_TOKEN, 11);
    west = workspace("Bearer " + WEST_TOKEN, 22);
  }

  @AfterEach
  void stop() {
    east.stop();
    west.stop();
  }

  /** A workspace serving its jobs only to requests carrying {@code authorization}. */
  static WireMockServer workspace(String authorization, long jobId) {
    WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    server.stubFor(get(urlPathEqualTo("/.well-known/databricks-config")).willReturn(okJson("{}")));
    server.stubFor(any(urlPathMatching("/api/.*")).atPriority(9).willReturn(aResponse()
        .withStatus(401).withHeader("Content-Type", "application/json")
        .withBody("{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Invalid access token.\"}")));
    accept(server, authorization, jobId);
    return server;
  }

  static void accept(WireMockServer server, String authorization, long jobId) {
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/list")).atPriority(1)
        .withHeader("Authorization", equalTo(authorization))
        .willReturn(okJson("{\"jobs\":[{\"job_id\":" + jobId
            + ",\"settings\":{\"name\":\"sample_workflow_1\"}}]}")));
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/get")).atPriority(1)
        .withHeader("Authorization", equalTo(authorization))
        .willReturn(okJson("{\"job_id\":" + jobId + ",\"settings\":{\"name\":\"sample_workflow_1\","
            + "\"schedule\":{\"quartz_cron_expression\":\"0 0/15 * * * ?\",\"timezone_id\":\"UTC\","
            + "\"pause_status\":\"UNPAUSED\"}}}")));
    server.stubFor(post(urlPathEqualTo("/api/2.2/jobs/update")).atPriority(1)
        .withHeader("Authorization", equalTo(authorization)).willReturn(okJson("{}")));
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/runs/list")).atPriority(1)
        .withHeader("Authorization", equalTo(authorization))
        .willReturn(okJson("{\"runs\":[{\"job_id\":" + jobId + ",\"run_id\":" + (jobId * 100)
            + ",\"start_time\":1700000000000,\"end_time\":1700000060000,\"state\":"
            + "{\"life_cycle_state\":\"TERMINATED\",\"result_state\":\"SUCCESS\"}}]}")));
  }

  static URI host(WireMockServer server) {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  WorkspaceConfig config(Credentials primary, Optional<Credentials> secondary) {
    SyncGroup group = new SyncGroup("dr", "g1", "a@example.com", Optional.of("sample_workflow_1"),
        List.of(new TableMapping(TableName.parse("c.s.t"), TableName.parse("c.s.t"))));
    return new WorkspaceConfig("dr", host(east), Optional.of(host(west)), primary, secondary,
        "abfss://sync@east.dfs.core.windows.net/dr", "abfss://sync@west.dfs.core.windows.net/dr",
        Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMinutes(30), 3,
        Optional.empty(), Optional.empty(), List.of(group), Optional.empty());
  }

  WorkspaceConfig ownPats() {
    return config(new Credentials.Pat(EAST_PAT), Optional.of(new Credentials.Pat(WEST_PAT)));
  }

  /** The Authorization headers of the server's Jobs API requests, distinct. */
  static Set<String> authorizations(WireMockServer server) {
    return server.findAll(anyRequestedFor(urlPathMatching("/api/.*"))).stream()
        .map(r -> String.valueOf(r.getHeader("Authorization"))).collect(Collectors.toSet());
  }

  static void assertNoSecret(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      for (String secret : SECRET_VALUES) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
      }
    }
  }

  @Test
  void eachWorkspacesClientSendsItsOwnToken() {
    WorkspaceConfig ws = ownPats();

    assertThat(WorkspaceClients.primary(ws, SECRETS).jobs().get(11L).getJobId()).isEqualTo(11L);
    assertThat(WorkspaceClients.secondary(ws, SECRETS, "failover").jobs().get(22L).getJobId())
        .isEqualTo(22L);

    assertThat(authorizations(east)).containsExactly("Bearer " + EAST_TOKEN);
    assertThat(authorizations(west)).containsExactly("Bearer " + WEST_TOKEN);
  }

  @Test
  void failoverPausesThePrimaryAndReadsItsRunsWithThePrimarysCredentials() {
    WorkspaceConfig ws = ownPats();
    JobsControl primary = engines.primaryJobs(ws);
    JobsControl secondary = engines.secondaryJobs(ws, "failover");

    PauseChange paused = primary.setPauseStatus(primary.job("sample_workflow_1"), PauseStatus.PAUSED);
    JobRef secondaryJob = secondary.job("sample_workflow_1");
    List<WorkflowRun> primaryRuns =
        engines.primaryRuns(ws).runs("sample_workflow_1", OptionalLong.empty());
    List<WorkflowRun> secondaryRuns =
        engines.secondaryRuns(ws).runs("sample_workflow_1", OptionalLong.empty());

    assertThat(paused.changed()).isTrue();
    assertThat(paused.before().job()).isEqualTo(new JobRef("11", "sample_workflow_1"));
    assertThat(secondaryJob).isEqualTo(new JobRef("22", "sample_workflow_1"));
    assertThat(primaryRuns).extracting(WorkflowRun::runId, WorkflowRun::jobId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1100L, OptionalLong.of(11)));
    assertThat(secondaryRuns).extracting(WorkflowRun::runId, WorkflowRun::jobId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2200L, OptionalLong.of(22)));
    assertThat(authorizations(east)).containsExactly("Bearer " + EAST_TOKEN);
    assertThat(authorizations(west)).containsExactly("Bearer " + WEST_TOKEN);
  }

  @Test
  void failbackReachesEachWorkspaceWithItsOwnCredentials() {
    // Failback runs on the reversed roles: the secondary is the source, the primary the target.
    WorkspaceConfig reversed = Roles.reversed(ownPats());
    JobsControl source = engines.primaryJobs(reversed);
    JobsControl target = engines.secondaryJobs(reversed, "failback");

    assertThat(reversed.url()).isEqualTo(host(west));
    assertThat(source.job("sample_workflow_1")).isEqualTo(new JobRef("22", "sample_workflow_1"));
    assertThat(target.setPauseStatus(target.job("sample_workflow_1"), PauseStatus.PAUSED).changed())
        .isTrue();
    assertThat(authorizations(east)).containsExactly("Bearer " + EAST_TOKEN);
    assertThat(authorizations(west)).containsExactly("Bearer " + WEST_TOKEN);
  }

  @Test
  void withoutItsOwnCredentialsTheSecondaryRefusesThePrimarysPat() {
    WorkspaceConfig ws = config(new Credentials.Pat(EAST_PAT), Optional.empty());
    JobsControl secondary = engines.secondaryJobs(ws, "failover");

    SyncException refused =
        catchThrowableOfType(SyncException.class, () -> secondary.job("sample_workflow_1"));

    assertThat(refused.kind()).isEqualTo(SyncException.Kind.FATAL);
    assertThat(refused).hasMessage("The Jobs API of workspace dr secondary " + host(west)
        + " refused to find job 'sample_workflow_1' (HTTP 401: UNAUTHENTICATED Invalid access"
        + " token.). Give the service principal CAN_MANAGE on the job, or check its token.");
    assertNoSecret(refused);
    assertThat(authorizations(west)).containsExactly("Bearer " + EAST_TOKEN);
    assertThat(authorizations(east)).isEmpty();
  }

  @Test
  void theSecondaryCanHaveItsOwnOauthServicePrincipal() {
    String tokenEndpoint = host(west) + "/oidc/v1/token";
    west.stubFor(get(urlPathEqualTo("/oidc/.well-known/oauth-authorization-server"))
        .willReturn(okJson("{\"authorization_endpoint\":\"" + host(west) + "/oidc/v1/authorize\","
            + "\"token_endpoint\":\"" + tokenEndpoint + "\"}")));
    String basic = "Basic " + Base64.getEncoder().encodeToString(
        (WEST_CLIENT_ID + ":" + WEST_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    String issued = "{\"access_token\":\"" + WEST_M2M_TOKEN
        + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
    // The token endpoint issues a token only to the west service principal.
    west.stubFor(post(urlPathEqualTo("/oidc/v1/token")).atPriority(1)
        .withHeader("Authorization", equalTo(basic)).willReturn(okJson(issued)));
    west.stubFor(post(urlPathEqualTo("/oidc/v1/token")).atPriority(1)
        .withRequestBody(containing("client_secret=" + WEST_CLIENT_SECRET)).willReturn(okJson(issued)));
    west.stubFor(post(urlPathEqualTo("/oidc/v1/token")).atPriority(5).willReturn(aResponse()
        .withStatus(401).withHeader("Content-Type", "application/json")
        .withBody("{\"error\":\"invalid_client\"}")));
    accept(west, "Bearer " + WEST_M2M_TOKEN, 22);
    WorkspaceConfig ws = config(new Credentials.Pat(EAST_PAT),
        Optional.of(new Credentials.OAuthM2M(WEST_ID, WEST_SECRET)));

    JobRef secondaryJob = engines.secondaryJobs(ws, "failover").job("sample_workflow_1");
    JobRef primaryJob = engines.primaryJobs(ws).job("sample_workflow_1");

    assertThat(secondaryJob).isEqualTo(new JobRef("22", "sample_workflow_1"));
    assertThat(primaryJob).isEqualTo(new JobRef("11", "sample_workflow_1"));
    assertThat(authorizations(west)).containsExactly("Bearer " + WEST_M2M_TOKEN);
    assertThat(authorizations(east)).containsExactly("Bearer " + EAST_TOKEN);
    List<LoggedRequest> tokenRequests = west.findAll(anyRequestedFor(urlPathEqualTo("/oidc/v1/token")));
    assertThat(tokenRequests).isNotEmpty();
    assertThat(east.findAll(anyRequestedFor(anyUrl())))
        .noneMatch(r -> r.getUrl().startsWith("/oidc"));
  }

  @Test
  void embeddedWithoutTheSecondarysJobsApiFailoverStopsAndNamesTheKey() {
    WorkspaceConfig embedded = new WorkspaceConfig("dr", host(east), Optional.empty(),
        new Credentials.Pat(EAST_PAT), Optional.empty(), "/regions/sync-east",
        "/regions/sync-west", Duration.ofMinutes(15), Duration.ofMinutes(10),
        Duration.ofMinutes(30), 3, Optional.empty(), Optional.empty(), List.of(),
        Optional.of(new LocalRegions("/regions/east", "/regions/west")));

    SyncException failure = catchThrowableOfType(SyncException.class,
        () -> engines.secondaryJobs(embedded, "failover"));

    assertThat(failure.kind()).isEqualTo(SyncException.Kind.USAGE);
    assertThat(failure).hasMessage("Workspace dr has no secondary_workspace_instance_url: failover"
        + " switches jobs through each workspace's Jobs API, in embedded mode too. Start the"
        + " secondary's local workspace (./deltasync workspace --region secondary --spec FILE)"
        + " and set secondary_workspace_instance_url to the URL it prints.");
  }
}
