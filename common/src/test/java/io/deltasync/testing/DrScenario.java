package io.deltasync.testing;

import io.deltasync.clone.CloneOptions;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.secrets.EnvSecretProvider;
import io.deltasync.spark.DeltaSyncLedger;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.SnapshotFilesCheck;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupListener;
import io.deltasync.sync.Placement;
import io.deltasync.sync.Receiver;
import io.deltasync.sync.Sender;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;

/**
 * An embedded-mode DR setup on real Delta tables, driven through the real sender and receiver
 * (portable cloner, local run log, Delta ledger), with a hand-set clock.
 *
 * <p>Config (written to {@code <root>/deltasync.json}): workspace {@code ws}; group {@code orders}
 * (workflow {@code orders_flow}: {@code c.s.bronze}, {@code c.s.gold}); group {@code reference}
 * (standalone: {@code c.s.countries}). One group and one table at a time, as in a workspace built
 * in code: the failure points between tables exist only then ({@code ParallelGroupsTest} covers
 * parallel cycles).
 */
public final class DrScenario {

  public final Path root;
  public final Path configFile;
  public final DeltaSyncConfig config;
  public final WorkspaceConfig workspace;
  public final MutableClock clock;
  public final LocalRunLog runLog;
  private final Placement placement;

  public DrScenario(Path root, Instant start) {
    this.root = root;
    this.clock = new MutableClock(start);
    this.configFile = root.resolve("deltasync.json");
    String json = """
        {
          "secret_scope": "dr-scope",
          "workspaces": [
            {
              "workspace_name": "ws",
              "workspace_instance_url": "http://127.0.0.1:1",
              "workspace_pat_key": "pat",
              "sync_location_primary": "%1$s/sync-primary",
              "sync_location_secondary": "%1$s/sync-secondary",
              "sync_interval_mins": 15,
              "sync_failover_interval_mins": 10,
              "sync_max_retries": 0,
              "sync_parallel_groups": 1,
              "sync_parallel_tables": 1,
              "local": {"primary_dir": "%1$s/primary", "secondary_dir": "%1$s/secondary"},
              "sync_groups": [
                {"group_name": "orders", "group_owner_email": "a@example.com",
                 "workflow": "orders_flow", "tables": ["c.s.bronze", "c.s.gold"]},
                {"group_name": "reference", "group_owner_email": "b@example.com",
                 "tables": ["c.s.countries"]}
              ]
            }
          ]
        }
        """.formatted(root.toAbsolutePath());
    try {
      Files.writeString(configFile, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.config = ConfigLoader.load(configFile);
    this.workspace = config.workspaces().get(0);
    this.placement = Placement.of(workspace);
    this.runLog = new LocalRunLog(workspace.local().orElseThrow().primaryDir(), new Configuration(),
        clock, SharedSpark::spark);
  }

  /** A run of {@code orders_flow} lasting {@code length}: runs the statements, then ends. */
  public long runOrders(Duration length, String... statements) throws Exception {
    return runLog.record("orders_flow", runId -> {
      for (String statement : statements) {
        SharedSpark.spark().sql(statement
            .replace("$bronze", primary("c.s.bronze").sqlIdentifier())
            .replace("$gold", primary("c.s.gold").sqlIdentifier()));
      }
      clock.advance(length);
      return runId;
    });
  }

  /** One sender cycle over every group, at the clock's time. */
  public CycleResult send() {
    return SyncWiring.senderBuilder(SharedSpark.spark(), new PortableCloner(SharedSpark.spark()),
            new EnvSecretProvider())
        .runSources(ws -> runLog)
        .clock(clock)
        .sleeper(d -> { })
        .random(new Random(7))
        .retryBase(Duration.ofMillis(1))
        .build()
        .run(config, Sender.Request.all());
  }

  /** One receiver cycle over every group, at the clock's time. */
  public CycleResult receive() {
    return new Receiver(this::ledger, new PortableCloner(SharedSpark.spark()), clock, d -> { },
        new Random(7), Duration.ofMillis(1), CloneOptions.defaults(), GroupListener.none(),
        io.deltasync.faults.Faults.NONE, new io.deltasync.spark.SnapshotFilesCheck(SharedSpark.spark()))
        .run(config, java.util.Optional.empty());
  }

  public DeltaSyncLedger ledger(WorkspaceConfig ws) {
    return new DeltaSyncLedger(SharedSpark.spark(), Placement.of(ws).ledger().uri());
  }

  public DeltaSyncLedger ledger() {
    return ledger(workspace);
  }

  public TableLocation primary(String table) {
    return placement.primary(TableName.parse(table));
  }

  public TableLocation secondary(String table) {
    return placement.secondary(TableName.parse(table));
  }

  public TableLocation staging(String group, String table) {
    SyncGroup g = workspace.group(group).orElseThrow();
    return placement.staging(g, TableName.parse(table));
  }
}
