package io.deltasync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.config.LocalRegions;
import io.deltasync.errors.SyncErrors;
import io.deltasync.runs.RunSource;
import io.deltasync.runs.RunStamp;
import io.deltasync.runs.WorkflowRun;
import io.deltasync.spark.Sparks;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run log of embedded (local) mode: what the Jobs API is on Databricks. Workflows started
 * through the launcher {@link #record record} their runs here, in {@code <regionDir>/_runs}, and
 * stamp every Delta commit they make with their job id and run id ({@link RunStamp}). A workflow's
 * name is its job: its job id is {@link RunStamp#localJobId}, and every run read from the log
 * carries it. Run ids are shared by all workflows of the log, so a run id of one workflow says
 * nothing about another's runs; only the job id tells whose commit it is.
 *
 * <p>Layout: each run has an id marker {@code _runs/<id>.id} (an empty file created exclusively,
 * which is how concurrent launchers get distinct, increasing ids) and an entry
 * {@code _runs/<id>.json} holding {@code format, run_id, workflow, start, end, result}. An entry is
 * always replaced whole (written to a temporary file, then renamed over the old one), so a reader
 * sees either the RUNNING entry or the finished one, never a torn file. A process killed during a
 * run leaves its entry RUNNING forever; such a run is never chosen for a sync.
 *
 * <p>The commit stamp is the Spark session conf {@value #USER_METADATA_CONF}, which is shared by
 * every thread of the session: only one run may be recorded at a time per session (a second one
 * fails at once instead of stamping commits with the wrong run id). Code that writes Delta tables
 * in the same session while a run is recorded (the sender, for instance) gets the run's stamp too.
 */
public final class LocalRunLog implements RunSource {

  /** The session conf whose value Delta writes into each commit's {@code userMetadata}. */
  public static final String USER_METADATA_CONF = "spark.databricks.delta.commitInfo.userMetadata";

  /** Format version of a run entry. */
  public static final int FORMAT_VERSION = 1;

  /** The folder of the run log inside a region folder. */
  public static final String RUNS_DIR = "_runs";

  private static final Logger LOG = LoggerFactory.getLogger(LocalRunLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENTRY_SUFFIX = ".json";
  private static final String ID_SUFFIX = ".id";
  private static final int ID_DIGITS = 20;

  /** Sessions with a run being recorded, to refuse a second concurrent stamp. */
  private static final ConcurrentHashMap<SparkSession, String> ACTIVE = new ConcurrentHashMap<>();

  /** The work of one run; it gets the run id the log allocated. */
  @FunctionalInterface
  public interface RunBody<T> {
    T run(long runId) throws Exception;
  }

  private final Path runsDir;
  private final Configuration hadoopConf;
  private final Clock clock;
  private final Supplier<SparkSession> spark;

  /** The run log of a region folder (any Hadoop URI or local path), stamping the local session. */
  public LocalRunLog(String regionDir) {
    this(regionDir, new Configuration(), Clock.systemUTC(), Sparks::session);
  }

  /**
   * @param regionDir the region folder; the log lives in its {@code _runs} sub-folder
   * @param hadoopConf how to reach the folder's file system
   * @param clock start and end times of runs
   * @param spark the session whose commits are stamped, asked for only when a run is recorded
   */
  public LocalRunLog(
      String regionDir, Configuration hadoopConf, Clock clock, Supplier<SparkSession> spark) {
    Objects.requireNonNull(regionDir, "regionDir");
    if (regionDir.isBlank()) {
      throw SyncErrors.usage("the region folder of the local run log is blank: set local.primary_dir");
    }
    this.runsDir = new Path(regionDir, RUNS_DIR);
    this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.spark = Objects.requireNonNull(spark, "spark");
  }

  /** The run log of the primary region of an embedded-mode workspace. */
  public static LocalRunLog forPrimary(LocalRegions regions) {
    return new LocalRunLog(regions.primaryDir());
  }

  /** Where the run entries live. */
  public String location() {
    return runsDir.toString();
  }

  /**
   * Runs {@code body} as a run of {@code workflow}: allocates a run id, records the run RUNNING
   * with its start time, stamps every Delta commit of the session with the run id for the body's
   * duration (restoring the previous user metadata after), then records SUCCESS, or FAILED
   * (CANCELED when interrupted) with the end time and rethrows the body's failure.
   *
   * @return what the body returned
   * @throws io.deltasync.errors.SyncException when the log cannot be written, or another run is
   *     being recorded in the same Spark session
   */
  public <T> T record(String workflow, RunBody<T> body) throws Exception {
    if (workflow == null || workflow.isBlank()) {
      throw SyncErrors.usage("a local workflow run needs a workflow name, got a blank one");
    }
    Objects.requireNonNull(body, "body");
    SparkSession session = spark.get();
    String other = ACTIVE.putIfAbsent(session, workflow);
    if (other != null) {
      throw SyncErrors.localRunAlreadyActive(workflow, other);
    }
    try {
      long runId = allocateRunId(workflow);
      long jobId = RunStamp.localJobId(workflow);
      Instant start = clock.instant();
      write(new WorkflowRun(
          runId, workflow, jobId, start, Optional.empty(), WorkflowRun.Result.RUNNING));
      LOG.info("Run {} of workflow {} started (run log {})", runId, workflow, runsDir);
      T value;
      RuntimeConfig conf = session.conf();
      scala.Option<String> previous = conf.getOption(USER_METADATA_CONF);
      conf.set(USER_METADATA_CONF, RunStamp.userMetadata(jobId, runId, workflow));
      try {
        value = body.run(runId);
      } catch (Throwable failure) {
        restore(conf, previous);
        WorkflowRun.Result result =
            failure instanceof InterruptedException
                ? WorkflowRun.Result.CANCELED
                : WorkflowRun.Result.FAILED;
        try {
          write(new WorkflowRun(
              runId, workflow, jobId, start, Optional.of(clock.instant()), result));
        } catch (RuntimeException recordFailure) {
          failure.addSuppressed(recordFailure);
        }
        LOG.info("Run {} of workflow {} ended {}: {}", runId, workflow, result,
            failure.getClass().getName());
        throw failure;
      }
      restore(conf, previous);
      write(new WorkflowRun(runId, workflow, jobId, start, Optional.of(clock.instant()),
          WorkflowRun.Result.SUCCESS));
      LOG.info("Run {} of workflow {} ended SUCCESS", runId, workflow);
      return value;
    } finally {
      ACTIVE.remove(session, workflow);
    }
  }

  private static void restore(RuntimeConfig conf, scala.Option<String> previous) {
    if (previous.isDefined()) {
      conf.set(USER_METADATA_CONF, previous.get());
    } else {
      conf.unset(USER_METADATA_CONF);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Local runs are ordered by start time, then run id. A workflow that never ran has no runs
   * (there is no job registry to say it does not exist).
   */
  @Override
  public List<WorkflowRun> runs(String workflow, OptionalLong notBeforeRunId) {
    Objects.requireNonNull(workflow, "workflow");
    List<WorkflowRun> runs = new ArrayList<>();
    for (WorkflowRun run : all()) {
      if (!run.workflow().equals(workflow)) {
        continue;
      }
      if (notBeforeRunId.isPresent() && run.runId() < notBeforeRunId.getAsLong()) {
        continue;
      }
      runs.add(run);
    }
    runs.sort(Comparator.comparing(WorkflowRun::start)
        .thenComparingLong(WorkflowRun::runId)
        .reversed());
    return List.copyOf(runs);
  }

  /** Every run in the log, of every workflow, in no particular order. */
  public List<WorkflowRun> all() {
    try {
      FileSystem fs = fileSystem();
      FileStatus[] statuses;
      try {
        statuses = fs.listStatus(runsDir);
      } catch (FileNotFoundException noLogYet) {
        return List.of();
      }
      List<WorkflowRun> runs = new ArrayList<>();
      for (FileStatus status : statuses) {
        String name = status.getPath().getName();
        if (status.isFile() && name.endsWith(ENTRY_SUFFIX) && !name.startsWith(".")) {
          runs.add(read(fs, status.getPath()));
        }
      }
      return runs;
    } catch (IOException e) {
      throw SyncErrors.runLogIo(runsDir.toString(), "list the run log", e);
    }
  }

  // --------------------------------------------------------------------------------------------
  // Files

  private long allocateRunId(String workflow) {
    try {
      FileSystem fs = fileSystem();
      fs.mkdirs(runsDir);
      long next = highestId(fs) + 1;
      while (true) {
        Path marker = new Path(runsDir, fileName(next, ID_SUFFIX));
        if (createExclusive(fs, marker)) {
          LOG.debug("Allocated run id {} for workflow {} ({})", next, workflow, marker);
          return next;
        }
        next++; // another launcher took it: try the next one
      }
    } catch (IOException e) {
      throw SyncErrors.runLogIo(runsDir.toString(), "allocate a run id for " + workflow, e);
    }
  }

  private long highestId(FileSystem fs) throws IOException {
    long highest = 0;
    for (FileStatus status : fs.listStatus(runsDir)) {
      String name = status.getPath().getName();
      if (name.endsWith(ID_SUFFIX) && !name.startsWith(".")) {
        try {
          highest = Math.max(highest,
              Long.parseLong(name.substring(0, name.length() - ID_SUFFIX.length())));
        } catch (NumberFormatException notOurs) {
          LOG.debug("Ignoring {} in the run log: not a run id marker", status.getPath());
        }
      }
    }
    return highest;
  }

  /** Creates an empty file only if it does not exist yet, atomically; false when it existed. */
  private static boolean createExclusive(FileSystem fs, Path path) throws IOException {
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      // Hadoop's local create(overwrite=false) checks then creates, which races; O_EXCL does not.
      try {
        Files.createFile(localFile(fs, path));
        return true;
      } catch (FileAlreadyExistsException taken) {
        return false;
      }
    }
    try (OutputStream out = fs.create(path, false)) {
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException taken) {
      return false;
    }
  }

  private void write(WorkflowRun run) {
    Path target = new Path(runsDir, fileName(run.runId(), ENTRY_SUFFIX));
    Path temp = new Path(runsDir, "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    ObjectNode entry = JSON.createObjectNode();
    entry.put("format", FORMAT_VERSION);
    entry.put("run_id", run.runId());
    entry.put("workflow", run.workflow());
    entry.put("start", run.start().toString());
    if (run.end().isPresent()) {
      entry.put("end", run.end().get().toString());
    } else {
      entry.putNull("end");
    }
    entry.put("result", run.result().name());
    byte[] bytes = entry.toString().getBytes(StandardCharsets.UTF_8);
    try {
      FileSystem fs = fileSystem();
      try (OutputStream out = fs.create(temp, false)) {
        out.write(bytes);
      }
      try {
        replace(fs, temp, target);
      } catch (IOException | RuntimeException e) {
        fs.delete(temp, false);
        throw e;
      }
    } catch (IOException e) {
      throw SyncErrors.runLogIo(target.toString(),
          "record run " + run.runId() + " of " + run.workflow() + " as " + run.result(), e);
    }
  }

  /** Renames {@code temp} over {@code target} in one step. */
  private void replace(FileSystem fs, Path temp, Path target) throws IOException {
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      Files.move(localFile(fs, temp), localFile(fs, target),
          StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      FileContext.getFileContext(fs.getUri(), hadoopConf)
          .rename(temp, target, Options.Rename.OVERWRITE);
    }
  }

  private static WorkflowRun read(FileSystem fs, Path path) throws IOException {
    JsonNode entry;
    try (InputStream in = fs.open(path)) {
      entry = JSON.readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw SyncErrors.runLogEntryInvalid(path.toString(), "it is not JSON (" + e.getOriginalMessage() + ")");
    }
    if (entry == null || !entry.isObject()) {
      throw SyncErrors.runLogEntryInvalid(path.toString(), "it is not a JSON object");
    }
    int format = entry.path("format").asInt(-1);
    if (format != FORMAT_VERSION) {
      throw SyncErrors.runLogEntryInvalid(path.toString(),
          "its format " + entry.path("format") + " is not " + FORMAT_VERSION
              + " (written by another deltasync release?)");
    }
    try {
      long runId = entry.get("run_id").asLong();
      String workflow = entry.get("workflow").asText();
      Instant start = Instant.parse(entry.get("start").asText());
      JsonNode end = entry.path("end");
      Optional<Instant> endTime =
          end.isNull() || end.isMissingNode() ? Optional.empty() : Optional.of(Instant.parse(end.asText()));
      WorkflowRun.Result result = WorkflowRun.Result.valueOf(entry.get("result").asText());
      return new WorkflowRun(
          runId, workflow, RunStamp.localJobId(workflow), start, endTime, result);
    } catch (RuntimeException e) {
      throw SyncErrors.runLogEntryInvalid(path.toString(),
          "a field is missing or malformed (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
  }

  private FileSystem fileSystem() throws IOException {
    FileSystem fs = runsDir.getFileSystem(hadoopConf);
    // The checksum layer of the local file system would add .crc files next to every entry.
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  private static java.nio.file.Path localFile(FileSystem fs, Path path) {
    RawLocalFileSystem raw = fs instanceof LocalFileSystem local
        ? (RawLocalFileSystem) local.getRawFileSystem()
        : (RawLocalFileSystem) fs;
    return raw.pathToFile(path).toPath();
  }

  private static String fileName(long runId, String suffix) {
    String digits = Long.toString(runId);
    return "0".repeat(Math.max(0, ID_DIGITS - digits.length())) + digits + suffix;
  }
}
