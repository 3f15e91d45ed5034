package io.deltasync.databricks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.databricks.sdk.core.DatabricksConfig;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.deltasync.config.Credentials;
import io.deltasync.config.SecretRef;
import io.deltasync.errors.SyncException;
import io.deltasync.secrets.EnvSecretProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkspaceClientsTest {

  static final String TOKEN = "dapi-0000-SECRET-PAT";
  static final String CLIENT_ID = "sp-client-id-1";
  static final String CLIENT_SECRET = "dose-SECRET-client-secret";
  static final SecretRef PAT = new SecretRef("dr", "pat");
  static final SecretRef ID = new SecretRef("dr", "sp-id");
  static final SecretRef SECRET = new SecretRef("dr", "sp-secret");
  static final EnvSecretProvider SECRETS = new EnvSecretProvider(Map.of(
      EnvSecretProvider.variableName(PAT), TOKEN,
      EnvSecretProvider.variableName(ID), CLIENT_ID,
      EnvSecretProvider.variableName(SECRET), CLIENT_SECRET));

  WireMockServer server;
  URI host;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    host = URI.create("http://127.0.0.1:" + server.port());
    server.stubFor(get(urlPathEqualTo("/.well-known/databricks-config")).willReturn(okJson("{}")));
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/list")).willReturn(okJson(
        "{\"jobs\":[{\"job_id\":42,\"settings\":{\"name\":\"wf\"}}]}")));
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/runs/list")).willReturn(okJson("{\"runs\":[]}")));
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void configNeverPrintsTheToken() {
    DatabricksConfig config = WorkspaceClients.config(host, new Credentials.Pat(PAT), SECRETS);
    Map<String, String> headers = config.authenticate();

    assertThat(headers).containsEntry("Authorization", "Bearer " + TOKEN);
    assertThat(config.getAuthType()).isEqualTo("pat");
    assertThat(config.toString()).contains("host=" + host).doesNotContain(TOKEN);
    assertThat(config.isDebugHeaders()).isFalse();
  }

  @Test
  void oauthConfigNeverPrintsTheClientSecret() {
    DatabricksConfig config = WorkspaceClients.config(
        URI.create("https://adb-1.2.azuredatabricks.net/"), new Credentials.OAuthM2M(ID, SECRET), SECRETS);
    assertThat(config.getHost()).isEqualTo("https://adb-1.2.azuredatabricks.net");
    assertThat(config.toString()).doesNotContain(CLIENT_SECRET);
  }

  @Test
  void patIsSentAsBearerToken() {
    JobsApiRunSource source = JobsApiRunSource.connect(host, new Credentials.Pat(PAT), SECRETS);
    assertThat(source.runs("wf", OptionalLong.empty())).isEmpty();
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/api/2.2/jobs/runs/list"))))
        .singleElement()
        .satisfies(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN));
  }

  @Test
  void oauthMachineToMachineGetsATokenWithTheServicePrincipal() {
    server.stubFor(get(urlPathEqualTo("/oidc/.well-known/oauth-authorization-server"))
        .willReturn(okJson("{\"authorization_endpoint\":\"" + host + "/oidc/v1/authorize\","
            + "\"token_endpoint\":\"" + host + "/oidc/v1/token\"}")));
    server.stubFor(post(urlPathEqualTo("/oidc/v1/token")).willReturn(okJson(
        "{\"access_token\":\"m2m-access-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));

    JobsApiRunSource source =
        JobsApiRunSource.connect(host, new Credentials.OAuthM2M(ID, SECRET), SECRETS);
    assertThat(source.runs("wf", OptionalLong.empty())).isEmpty();

    List<LoggedRequest> tokenRequests = server.findAll(postRequestedFor(urlPathEqualTo("/oidc/v1/token")));
    assertThat(tokenRequests).isNotEmpty();
    LoggedRequest tokenRequest = tokenRequests.get(0);
    String basic = "Basic " + Base64.getEncoder().encodeToString(
        (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    String body = tokenRequest.getBodyAsString();
    assertThat(basic.equals(tokenRequest.getHeader("Authorization"))
        || (body.contains("client_id=" + CLIENT_ID) && body.contains("client_secret=" + CLIENT_SECRET)))
        .as("the client credentials are sent to the token endpoint").isTrue();
    assertThat(body).contains("grant_type=client_credentials");
    assertThat(server.findAll(getRequestedFor(urlPathEqualTo("/api/2.2/jobs/list"))))
        .singleElement()
        .satisfies(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer m2m-access-token"));
  }

  @Test
  void rejectedServicePrincipalNamesTheSecretsNotTheirValues() {
    server.stubFor(get(urlPathEqualTo("/oidc/.well-known/oauth-authorization-server"))
        .willReturn(okJson("{\"authorization_endpoint\":\"" + host + "/oidc/v1/authorize\","
            + "\"token_endpoint\":\"" + host + "/oidc/v1/token\"}")));
    server.stubFor(post(urlPathEqualTo("/oidc/v1/token")).willReturn(okJson(
        "{\"access_token\":\"m2m-access-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}")));
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/list")).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Invalid token\"}")));

    SyncException e = catchThrowableOfType(SyncException.class, () ->
        JobsApiRunSource.connect(host, new Credentials.OAuthM2M(ID, SECRET), SECRETS)
            .runs("wf", OptionalLong.empty()));

    assertThat(e).hasMessageContaining("check the secret scope dr, keys sp-id and sp-secret");
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(t.toString()).doesNotContain(CLIENT_SECRET).doesNotContain("m2m-access-token");
    }
  }

  @Test
  void relativeHostIsAUsageError() {
    assertThatThrownBy(() -> WorkspaceClients.config(URI.create("adb-1.azuredatabricks.net"),
            new Credentials.Pat(PAT), SECRETS))
        .isInstanceOf(SyncException.class)
        .hasMessage("Workspace URL adb-1.azuredatabricks.net is not an absolute URL: set"
            + " workspace_instance_url to e.g. https://adb-123.4.azuredatabricks.net");
  }

  @Test
  void missingSecretFailsBeforeAnyRequest() {
    assertThatThrownBy(() -> JobsApiRunSource.connect(host,
            new Credentials.Pat(new SecretRef("dr", "absent")), SECRETS))
        .isInstanceOf(SyncException.class)
        .hasMessageContaining("DELTASYNC_SECRET_DR_ABSENT");
    assertThat(server.getAllServeEvents()).isEmpty();
  }
}
