package io.deltasync.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The stamp a locally launched workflow run puts in the user metadata of each Delta commit it
 * makes, as Databricks records the job and the job run in each commit's {@code job} field. It lets
 * the version resolver tell a commit of the chosen run from one of a later run of the same job,
 * whatever the clocks say, and from commits of other jobs, whose run ids mean nothing to it.
 *
 * <p>The stamp is a small JSON object, e.g. {@code {"deltasync_run":{"v":2,"job_id":7311,
 * "run_id":12,"workflow":"sample_workflow_1"}}}; {@code v} is the stamp's format version. Version 1
 * stamps had no {@code job_id}: their job is the {@link #localJobId local job} of their workflow.
 */
public final class RunStamp {

  /** Format version of the stamp; readers accept this version and 1, and ignore unknown fields. */
  public static final int FORMAT_VERSION = 2;

  static final String FIELD = "deltasync_run";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Local job ids stay below 2^53, so that JSON readers of any language keep them exact. */
  private static final long LOCAL_JOB_ID_MASK = (1L << 53) - 1;

  private RunStamp() {}

  /**
   * The job id of a workflow launched locally: embedded mode has no job registry, a workflow's name
   * is its job, so its id is derived from the name (the low 53 bits of the first 8 bytes of its
   * SHA-256), the same in every process and region.
   */
  public static long localJobId(String workflow) {
    Objects.requireNonNull(workflow, "workflow");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(workflow.getBytes(StandardCharsets.UTF_8));
      long id = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        id = (id << 8) | (digest[i] & 0xFF);
      }
      return id & LOCAL_JOB_ID_MASK;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The user metadata stamping a commit with {@code runId} of the local job of {@code workflow}. */
  public static String userMetadata(long runId, String workflow) {
    return userMetadata(localJobId(workflow), runId, workflow);
  }

  /** The user metadata stamping a commit with run {@code runId} of job {@code jobId}. */
  public static String userMetadata(long jobId, long runId, String workflow) {
    Objects.requireNonNull(workflow, "workflow");
    if (jobId < 0) {
      throw new IllegalArgumentException("a job id is never negative, got " + jobId);
    }
    if (runId < 0) {
      throw new IllegalArgumentException("a run id is never negative, got " + runId);
    }
    ObjectNode root = JSON.createObjectNode();
    ObjectNode stamp = root.putObject(FIELD);
    stamp.put("v", FORMAT_VERSION);
    stamp.put("job_id", jobId);
    stamp.put("run_id", runId);
    stamp.put("workflow", workflow);
    return root.toString();
  }

  /**
   * The run id stamped in a commit's user metadata; empty when the metadata is absent, is not a
   * deltasync stamp (any other user metadata), or is malformed.
   */
  public static OptionalLong runId(String userMetadata) {
    JsonNode stamp = stamp(userMetadata);
    return stamp == null ? OptionalLong.empty() : OptionalLong.of(stamp.get("run_id").asLong());
  }

  /**
   * The job id stamped in a commit's user metadata (for a version 1 stamp, the local job of its
   * workflow); empty when {@link #runId} is, or the stamp names no job.
   */
  public static OptionalLong jobId(String userMetadata) {
    JsonNode stamp = stamp(userMetadata);
    if (stamp == null) {
      return OptionalLong.empty();
    }
    JsonNode jobId = stamp.path("job_id");
    if (!jobId.isMissingNode()) {
      return nonNegativeLong(jobId) ? OptionalLong.of(jobId.asLong()) : OptionalLong.empty();
    }
    JsonNode workflow = stamp.path("workflow");
    return workflow.isTextual() ? OptionalLong.of(localJobId(workflow.asText())) : OptionalLong.empty();
  }

  /** The stamp object when the metadata holds one with a valid run id, else null. */
  private static JsonNode stamp(String userMetadata) {
    if (userMetadata == null || userMetadata.isBlank()) {
      return null;
    }
    JsonNode root;
    try {
      root = JSON.readTree(userMetadata);
    } catch (JsonProcessingException notJson) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode stamp = root.path(FIELD);
    return stamp.isObject() && nonNegativeLong(stamp.path("run_id")) ? stamp : null;
  }

  private static boolean nonNegativeLong(JsonNode node) {
    return node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0;
  }
}
