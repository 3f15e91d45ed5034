package io.deltasync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncException;
import io.deltasync.jobs.PauseStatus;
import io.deltasync.ledger.Region;
import io.deltasync.local.LocalRunLog;
import io.deltasync.sync.Placement;
import io.deltasync.sync.RegionWalls;
import io.deltasync.table.TableLocation;
import io.deltasync.table.TableName;
import io.deltasync.testing.DeltaTables;
import io.deltasync.testing.LocalWorkspaces;
import io.deltasync.testing.SharedSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command runs in one region ({@code --region}) and resolves table names only there: the
 * send, receive and failover of a whole outage, each confined to its region, and the old design
 * (failback's reverse send run in the primary, reading "the secondary" there) refused.
 */
class RegionCommandsTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** The two workspaces failover switches jobs in, through their Jobs APIs. */
  private final LocalWorkspaces workspaces = LocalWorkspaces.start("dr-tests", Clock.systemUTC(),
      "etl");

  @AfterEach
  void stopWorkspaces() {
    workspaces.close();
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine cli = DeltaSyncCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path config() throws Exception {
    Path file = dir.resolve("deltasync.conf");
    Files.writeString(file, """
        secret_scope = dr-tests
        workspaces = [{
          workspace_name = ws
          %2$s
          sync_location_primary = "%1$s/sync-primary"
          sync_location_secondary = "%1$s/sync-secondary"
          sync_interval_mins = 15
          sync_failover_interval_mins = 1
          failover_deadline_mins = 1
          sync_max_retries = 0
          local { primary_dir = "%1$s/primary", secondary_dir = "%1$s/secondary" }
          sync_groups = [{
            group_name = wf
            group_owner_email = "owner@example.com"
            workflow = etl
            tables = [c.raw.bronze]
          }]
        }]
        """.formatted(dir.toAbsolutePath(), workspaces.hoconKeys()));
    return file;
  }

  private void runEtl(String region, long from, long to) throws Exception {
    String table = dir.resolve(region + "/c/raw/bronze").toString();
    new LocalRunLog(dir.resolve(region).toString()).record("etl", runId -> {
      SharedSpark.spark().range(from, to).write().format("delta").mode("append").save(table);
      return null;
    });
  }

  @Test
  void aJobResolvesOnlyTheTablesOfItsRegion() throws Exception {
    DeltaSyncConfig config = ConfigLoader.load(config());
    WorkspaceConfig ws = config.workspaces().get(0);
    TableName bronze = TableName.parse("c.raw.bronze");

    Placement inPrimary = Placement.of(RegionWalls.confine(ws, Region.PRIMARY));
    assertThat(inPrimary.primary(bronze).toString())
        .isEqualTo(dir.toAbsolutePath() + "/primary/c/raw/bronze");
    assertThatThrownBy(() -> inPrimary.secondary(bronze))
        .isInstanceOf(SyncException.class)
        .hasMessage("workspace ws: table c.raw.bronze lives in the other region ("
            + dir.toAbsolutePath() + "/secondary): a job resolves table names only in the region"
            + " it runs in, and reaches the other region only through the sync locations and that"
            + " workspace's Jobs API; run this step in that region (--region)");

    Placement inSecondary = Placement.of(RegionWalls.confine(ws, Region.SECONDARY));
    assertThat(inSecondary.secondary(bronze).toString())
        .isEqualTo(dir.toAbsolutePath() + "/secondary/c/raw/bronze");
    assertThatThrownBy(() -> inSecondary.primary(bronze)).isInstanceOf(SyncException.class);

    // A wall never comes down: a primary view confined again to the secondary reaches nothing.
    WorkspaceConfig nowhere = RegionWalls.confine(RegionWalls.confine(ws, Region.PRIMARY),
        Region.SECONDARY);
    assertThatThrownBy(() -> Placement.of(nowhere).primary(bronze))
        .isInstanceOf(SyncException.class);
    assertThatThrownBy(() -> Placement.of(nowhere).secondary(bronze))
        .isInstanceOf(SyncException.class);
  }

  @Test
  void anOutageRunsEveryStepInItsOwnRegion() throws Exception {
    String config = config().toString();
    TableLocation primary = TableLocation.path(dir.resolve("primary/c/raw/bronze").toString());
    TableLocation secondary = TableLocation.path(dir.resolve("secondary/c/raw/bronze").toString());

    // Day 1 in the primary, synced: the sender in the primary, the receiver in the secondary.
    runEtl("primary", 0, 10);
    assertThat(run("send", "--config", config, "--region", "primary")).isZero();
    assertThat(run("receive", "--config", config, "--region", "secondary")).isZero();
    assertThat(DeltaTables.rowCount(secondary)).isEqualTo(10);

    // Before any failover the secondary is passive: its reverse send is fenced.
    assertThat(run("send", "--config", config, "--region", "secondary")).isEqualTo(1);
    assertThat(err.toString()).contains("ws/wf").contains("PRIMARY region is active");

    // Failover runs in the secondary only.
    assertThat(run("failover", "--config", config, "--region", "primary")).isEqualTo(2);
    assertThat(err.toString()).contains("failover runs in the secondary region");
    assertThat(run("failover", "--config", config)).isZero();
    assertThat(workspaces.status(Region.PRIMARY, "etl")).isEqualTo(PauseStatus.PAUSED);
    assertThat(workspaces.status(Region.SECONDARY, "etl")).isEqualTo(PauseStatus.UNPAUSED);

    // The secondary runs day 2; failback's halves run where their tables are.
    runEtl("secondary", 10, 15);
    assertThat(run("send", "--config", config, "--region", "secondary")).isZero();
    assertThat(out.toString()).contains("ws/wf: recorded sync point 1 of run 1");
    assertThat(run("receive", "--config", config, "--region", "primary")).isZero();
    assertThat(DeltaTables.rowCount(primary)).isEqualTo(15);
    assertThat(DeltaTables.read(primary).exceptAll(DeltaTables.read(secondary)).count()).isZero();
    assertThat(DeltaTables.read(secondary).exceptAll(DeltaTables.read(primary)).count()).isZero();
  }
}
