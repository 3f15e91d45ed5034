package io.deltasync.failover;

import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupOutcome;
import java.util.List;

/**
 * Where failback's two halves run: the reverse send in the secondary region, then the reverse
 * receive in the primary. On Databricks each is a job of its workspace, started and awaited through
 * that workspace's Jobs API ({@link JobRunSteps}); in embedded mode this process runs each confined
 * to its region in turn ({@link #inProcess}).
 */
public interface FailbackSteps {

  /**
   * Runs the reverse send over the groups of {@code carried} (the forward config, holding only the
   * groups failback carries back).
   *
   * @return one line per group or job that failed; empty when every group was staged
   */
  List<String> send(DeltaSyncConfig carried);

  /**
   * Runs the reverse receive over the groups of {@code carried}.
   *
   * @return one line per group or job that failed; empty when every group was applied
   */
  List<String> receive(DeltaSyncConfig carried);

  /** Both halves in this process, each confined to its region. */
  static FailbackSteps inProcess(ReverseSync sync) {
    return new FailbackSteps() {
      @Override
      public List<String> send(DeltaSyncConfig carried) {
        return failures(sync.send(carried));
      }

      @Override
      public List<String> receive(DeltaSyncConfig carried) {
        return failures(sync.receive(carried));
      }
    };
  }

  private static List<String> failures(CycleResult result) {
    return result.failures().stream().map(GroupOutcome::failureLine).toList();
  }
}
