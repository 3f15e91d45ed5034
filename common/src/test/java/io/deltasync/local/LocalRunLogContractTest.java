package io.deltasync.local;

import io.deltasync.runs.RunSource;
import io.deltasync.runs.RunSourceContract;
import io.deltasync.runs.RunStamp;
import io.deltasync.runs.WorkflowRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;

class LocalRunLogContractTest extends RunSourceContract {

  @TempDir Path region;

  @Override
  protected void seed(String workflow, List<WorkflowRun> runs) throws Exception {
    Path dir = Files.createDirectories(region.resolve(LocalRunLog.RUNS_DIR));
    // The entries exactly as record() writes them (a RUNNING one is what a live or killed run leaves).
    for (WorkflowRun run : runs) {
      String name = String.format("%020d", run.runId());
      Files.writeString(dir.resolve(name + ".id"), "");
      Files.writeString(dir.resolve(name + ".json"), "{\"format\":1,\"run_id\":" + run.runId()
          + ",\"workflow\":\"" + run.workflow() + "\",\"start\":\"" + run.start() + "\",\"end\":"
          + run.end().map(e -> "\"" + e + "\"").orElse("null") + ",\"result\":\""
          + run.result() + "\"}");
    }
    // Another workflow's runs share the log and must not show.
    Files.writeString(dir.resolve(String.format("%020d", 99) + ".json"),
        "{\"format\":1,\"run_id\":99,\"workflow\":\"other\",\"start\":\"2026-11-23T09:00:00Z\","
            + "\"end\":\"2026-11-23T09:01:00Z\",\"result\":\"SUCCESS\"}");
  }

  @Override
  protected long jobId(String workflow) {
    return RunStamp.localJobId(workflow);
  }

  @Override
  protected RunSource source() {
    return new LocalRunLog(region.toString(), new Configuration(), Clock.systemUTC(),
        () -> {
          throw new AssertionError("reading runs needs no Spark session");
        });
  }
}
