package io.deltasync.runtime;

import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.local.LocalRunLog;
import io.deltasync.runs.RunSource;
import io.deltasync.secrets.SecretProvider;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The primary's run source of a workspace, as status asks it: the Jobs API on Databricks, the
 * local run log in embedded mode. A run log whose folder does not exist is reported as the
 * primary being unreachable rather than as "no runs", so a lost primary region is visible.
 */
public final class PrimaryRuns {

  private PrimaryRuns() {}

  /**
   * @throws io.deltasync.errors.SyncException when the run log folder is missing or the Jobs API
   *     credentials cannot be read
   */
  public static RunSource forWorkspace(WorkspaceConfig workspace, SecretProvider secrets) {
    if (workspace.local().isPresent()) {
      String primaryDir = workspace.local().get().primaryDir();
      LocalRunLog log = new LocalRunLog(primaryDir);
      Path runsDir = new Path(primaryDir, LocalRunLog.RUNS_DIR);
      try {
        if (!runsDir.getFileSystem(new Configuration()).exists(runsDir)) {
          throw SyncErrors.primaryRunLogMissing(log.location());
        }
      } catch (IOException e) {
        throw SyncErrors.runLogIo(log.location(), "look for the run log", e);
      }
      return log;
    }
    return SyncWiring.runSource(workspace, secrets);
  }
}
