package io.deltasync.notify;

import io.deltasync.config.Credentials;
import io.deltasync.config.LocalRegions;
import io.deltasync.config.SecretRef;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncException;
import io.deltasync.notify.GroupEvent.Outcome;
import io.deltasync.notify.GroupEvent.Phase;
import io.deltasync.notify.GroupEvent.TableEvent;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.table.TableName;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Events, workspaces and a fake secret provider for the notification tests. */
final class Events {

  static final String OWNER = "owner@sales.example.com";
  static final String ONCALL = "dr-oncall@ops.example.com";
  static final String SUCCESS_LIST = "dr-reports@ops.example.com";
  static final Instant RUN_END = Instant.parse("2026-11-23T13:58:00Z");
  static final Instant STARTED = Instant.parse("2026-11-23T14:00:00Z");
  static final Instant FINISHED = Instant.parse("2026-11-23T14:01:05Z");
  static final String BRONZE = "dr_test_catalog.raw.workflow_1_bronze";
  static final String SILVER = "dr_test_catalog.stage.workflow_1_silver";
  static final String SILVER_ERROR =
      "Table dr_test_catalog.stage.workflow_1_silver: version 5 is no longer readable\n"
          + "(its files were vacuumed); run a full sync";

  private Events() {}

  static WorkspaceConfig workspace(Optional<String> failure, Optional<String> success) {
    SyncGroup group = new SyncGroup("dr_test_eastus2", "sample_workflow_1", OWNER,
        Optional.of("sample_workflow_1"),
        List.of(TableMapping.sameName(TableName.parse(BRONZE)),
            TableMapping.sameName(TableName.parse(SILVER))));
    return new WorkspaceConfig("dr_test_eastus2", URI.create("https://primary.example.com"),
        Optional.empty(), new Credentials.Pat(new SecretRef("deltasync", "pat")),
        "/tmp/p", "/tmp/s", Duration.ofMinutes(15), Duration.ofMinutes(5),
        Duration.ofMinutes(30), 3, failure, success, List.of(group),
        Optional.<LocalRegions>empty());
  }

  static WorkspaceConfig workspace() {
    return workspace(Optional.of(ONCALL), Optional.of(SUCCESS_LIST));
  }

  static GroupEvent failedSend() {
    return new GroupEvent("dr_test_eastus2", "sample_workflow_1", Phase.SEND, Outcome.FAILURE,
        Optional.of("sp-0007"), OptionalLong.of(4711), Optional.of(RUN_END),
        List.of(
            new TableEvent(BRONZE, OptionalLong.of(12), OptionalLong.of(3), OptionalLong.empty(),
                Optional.empty()),
            new TableEvent(SILVER, OptionalLong.of(5), OptionalLong.empty(), OptionalLong.empty(),
                Optional.of(SILVER_ERROR))),
        Optional.of("Group sample_workflow_1: 1 of 2 tables failed; nothing was recorded"),
        STARTED, FINISHED);
  }

  static GroupEvent succeededReceive() {
    return new GroupEvent("dr_test_eastus2", "sample_workflow_1", Phase.RECEIVE, Outcome.SUCCESS,
        Optional.of("sp-0008"), OptionalLong.of(4712), Optional.of(RUN_END),
        List.of(
            new TableEvent(BRONZE, OptionalLong.of(13), OptionalLong.of(4), OptionalLong.of(9),
                Optional.empty()),
            new TableEvent(SILVER, OptionalLong.of(6), OptionalLong.of(2), OptionalLong.of(7),
                Optional.empty())),
        Optional.empty(), STARTED, FINISHED);
  }

  /** A secret provider over a map that records which secrets were asked for. */
  static final class FakeSecrets implements SecretProvider {
    private final Map<SecretRef, String> values;
    final List<SecretRef> asked = Collections.synchronizedList(new ArrayList<>());

    FakeSecrets(Map<SecretRef, String> values) {
      this.values = Map.copyOf(values);
    }

    @Override
    public String secret(SecretRef ref) {
      asked.add(ref);
      String value = values.get(ref);
      if (value == null) {
        throw new SyncException(SyncException.Kind.USAGE,
            "Secret " + ref + " does not exist: create it with databricks secrets put-secret");
      }
      return value;
    }
  }
}
