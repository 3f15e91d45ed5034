package io.deltasync.failover;

import io.deltasync.jobs.RunResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a keep-primary drill did and measured, per workspace.
 *
 * @param started when the drill began
 * @param finished when it ended
 * @param workspaces one entry per workspace of the config
 */
public record KeepPrimaryDrillReport(Instant started, Instant finished,
    List<WorkspaceDrill> workspaces) {

  public KeepPrimaryDrillReport {
    workspaces = List.copyOf(workspaces);
  }

  /** A step of the drill and when it began. */
  public record Step(String title, Instant at) {
    public Step {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * One workspace's drill.
   *
   * @param workspace the workspace
   * @param drillId the sync id of its DRILL and DRILL_ENDED rows; empty when it never began
   * @param steps each step and when it began
   * @param outageStart the simulated outage: when the DRILL record was appended
   * @param secondaryRunning when the first workflow run was started in the secondary
   * @param groups each group's figures
   * @param problems what went wrong, one line each (a refusal, a receiver not paused or resumed)
   */
  public record WorkspaceDrill(String workspace, Optional<String> drillId, List<Step> steps,
      Optional<Instant> outageStart, Optional<Instant> secondaryRunning, List<GroupDrill> groups,
      List<String> problems) {
    public WorkspaceDrill {
      steps = List.copyOf(steps);
      groups = List.copyOf(groups);
      problems = List.copyOf(problems);
    }

    /** Outage start to the first workflow run started in the secondary. */
    public Optional<Duration> rto() {
      return outageStart.isEmpty() || secondaryRunning.isEmpty() ? Optional.empty()
          : Optional.of(Duration.between(outageStart.get(), secondaryRunning.get()));
    }
  }

  /**
   * One group's part in the drill.
   *
   * @param group the group
   * @param workflow its workflow (empty for standalone tables: nothing runs in the secondary)
   * @param recoveredSequence the sync point the secondary held when the drill began
   * @param recoveredRun the primary run it holds
   * @param recoveredRunEnd when that run ended
   * @param rpo the data an outage at the drill's start would have lost
   * @param secondaryRun the workflow's run in the secondary (its id)
   * @param secondaryResult how that run ended (empty when it did not end in time)
   * @param restored whether the group's tables are back at the sync point and the drill ended
   * @param problems what went wrong for the group, one line each
   */
  public record GroupDrill(String group, Optional<String> workflow, OptionalLong recoveredSequence,
      OptionalLong recoveredRun, Optional<Instant> recoveredRunEnd, Optional<Rpo> rpo,
      OptionalLong secondaryRun, Optional<RunResult> secondaryResult, boolean restored,
      List<String> problems) {
    public GroupDrill {
      Objects.requireNonNull(group, "group");
      problems = List.copyOf(problems);
    }
  }

  /** Every problem of the drill, each line naming its workspace and group. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    for (WorkspaceDrill ws : workspaces) {
      ws.problems().forEach(p -> out.add(ws.workspace() + ": " + p));
      for (GroupDrill g : ws.groups()) {
        g.problems().forEach(p -> out.add(ws.workspace() + "/" + g.group() + ": " + p));
      }
    }
    return out;
  }
}
