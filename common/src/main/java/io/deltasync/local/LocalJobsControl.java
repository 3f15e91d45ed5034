package io.deltasync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.errors.SyncErrors;
import io.deltasync.jobs.JobRef;
import io.deltasync.jobs.JobState.Trigger;
import io.deltasync.jobs.JobState;
import io.deltasync.jobs.JobsControl;
import io.deltasync.jobs.PauseChange;
import io.deltasync.jobs.PauseStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link JobsControl} for embedded mode: a region's "workspace" keeps one schedule-state file per
 * job, {@code <region>/_jobs/<job>.json} = {@code {"format_version":1,"job":"...","paused":true}}.
 * A missing file means the job's schedule is unpaused (as a freshly deployed scheduled job). Local
 * launchers consult {@link #state} before starting a scheduled run.
 *
 * <p>Every job name exists here (a folder cannot be asked which jobs were deployed); a file is
 * written atomically (temporary file, then rename), so a reader sees the old or the new state.
 */
public final class LocalJobsControl implements JobsControl {

  /** Format of the schedule-state files; bump when the layout changes. */
  public static final int FORMAT_VERSION = 1;

  private static final Logger LOG = LoggerFactory.getLogger(LocalJobsControl.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String workspace;
  private final Path jobsDir;
  private final Clock clock;

  /**
   * @param workspace a name for reports (e.g. {@code "primary (local)"})
   * @param regionDir the region's folder (a path or a {@code file:} URI)
   */
  public LocalJobsControl(String workspace, String regionDir, Clock clock) {
    this.workspace = Objects.requireNonNull(workspace, "workspace");
    this.jobsDir = toPath(regionDir).resolve("_jobs");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static Path toPath(String dir) {
    return dir.startsWith("file:") ? Path.of(URI.create(dir)) : Path.of(dir);
  }

  @Override
  public String workspace() {
    return workspace;
  }

  @Override
  public List<JobRef> findJobs(String name) {
    return List.of(new JobRef("local:" + name, name));
  }

  @Override
  public JobState state(JobRef job) {
    Path file = file(job);
    if (!Files.exists(file)) {
      return new JobState(job, Map.of(Trigger.SCHEDULE, PauseStatus.UNPAUSED));
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      int version = node.path("format_version").asInt(-1);
      if (version != FORMAT_VERSION || !node.path("paused").isBoolean()) {
        throw SyncErrors.jobStateUnreadable(file.toString(),
            "expected format_version " + FORMAT_VERSION + " and a boolean 'paused', found " + node);
      }
      PauseStatus status = node.get("paused").asBoolean() ? PauseStatus.PAUSED : PauseStatus.UNPAUSED;
      return new JobState(job, Map.of(Trigger.SCHEDULE, status));
    } catch (IOException e) {
      throw SyncErrors.jobStateUnreadable(file.toString(), e.getMessage());
    }
  }

  @Override
  public PauseChange setPauseStatus(JobRef job, PauseStatus status) {
    JobState before = state(job);
    Path file = file(job);
    ObjectNode node = JSON.createObjectNode();
    node.put("format_version", FORMAT_VERSION);
    node.put("job", job.name());
    node.put("paused", status == PauseStatus.PAUSED);
    node.put("updated_at", clock.instant().toString());
    try {
      Files.createDirectories(jobsDir);
      Path tmp = Files.createTempFile(jobsDir, "." + safe(job.name()), ".tmp");
      Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw SyncErrors.jobStateUnwritable(file.toString(), e.getMessage());
    }
    LOG.info("Local job {} in {}: schedule {}", job.name(), workspace, status);
    return new PauseChange(before, new JobState(job, Map.of(Trigger.SCHEDULE, status)));
  }

  /** Local runs are in-process; there is nothing running to cancel between launcher calls. */
  @Override
  public void cancelActiveRuns(JobRef job) {
    LOG.debug("Local job {} in {}: no active runs to cancel", job.name(), workspace);
  }

  /** The schedule-state file of a job. */
  public Path file(JobRef job) {
    return jobsDir.resolve(safe(job.name()) + ".json");
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
