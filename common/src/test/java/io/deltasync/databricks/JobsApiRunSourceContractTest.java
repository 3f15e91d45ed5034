package io.deltasync.databricks;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.deltasync.config.Credentials;
import io.deltasync.config.SecretRef;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.RunSourceContract;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.secrets.EnvSecretProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class JobsApiRunSourceContractTest extends RunSourceContract {

  static final SecretRef PAT = new SecretRef("s", "k");
  WireMockServer server;
  URI host;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    host = URI.create("http://127.0.0.1:" + server.port());
    server.stubFor(get(urlPathEqualTo("/.well-known/databricks-config")).willReturn(okJson("{}")));
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  static String json(WorkflowRun run) {
    String state = switch (run.result()) {
      case RUNNING -> "{\"life_cycle_state\":\"RUNNING\"}";
      case SUCCESS -> "{\"life_cycle_state\":\"TERMINATED\",\"result_state\":\"SUCCESS\"}";
      case FAILED -> "{\"life_cycle_state\":\"TERMINATED\",\"result_state\":\"FAILED\"}";
      case CANCELED -> "{\"life_cycle_state\":\"TERMINATED\",\"result_state\":\"CANCELED\"}";
    };
    return "{\"job_id\":42,\"run_id\":" + run.runId() + ",\"start_time\":"
        + run.start().toEpochMilli() + ",\"end_time\":"
        + run.end().map(java.time.Instant::toEpochMilli).orElse(0L) + ",\"state\":" + state + "}";
  }

  @Override
  protected void seed(String workflow, List<WorkflowRun> runs) {
    server.stubFor(get(urlPathEqualTo("/api/2.2/jobs/list")).withQueryParam("name", equalTo(workflow))
        .willReturn(okJson("{\"jobs\":[{\"job_id\":42,\"settings\":{\"name\":\"" + workflow + "\"}}]}")));
    // Two runs per page, so the contract also exercises paging.
    List<List<WorkflowRun>> pages = new ArrayList<>();
    for (int i = 0; i < runs.size(); i += 2) {
      pages.add(runs.subList(i, Math.min(i + 2, runs.size())));
    }
    if (pages.isEmpty()) {
      pages.add(List.of());
    }
    for (int p = 0; p < pages.size(); p++) {
      String next = p + 1 < pages.size() ? ",\"next_page_token\":\"page" + (p + 1) + "\"" : "";
      String body = "{\"runs\":[" + String.join(",", pages.get(p).stream().map(
          JobsApiRunSourceContractTest::json).toList()) + "]" + next + "}";
      var request = get(urlPathEqualTo("/api/2.2/jobs/runs/list")).withQueryParam("job_id", equalTo("42"));
      request = p == 0 ? request.withQueryParam("page_token", absent())
          : request.withQueryParam("page_token", equalTo("page" + p));
      server.stubFor(request.willReturn(okJson(body)));
    }
  }

  @Override
  protected long jobId(String workflow) {
    return 42;
  }

  @Override
  protected RunSource source() {
    return JobsApiRunSource.connect(host, new Credentials.Pat(PAT),
        new EnvSecretProvider(Map.of(EnvSecretProvider.variableName(PAT), "dapi-contract")));
  }
}
