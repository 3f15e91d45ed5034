package io.deltasync.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The stamp a locally launched workflow run puts in the user metadata of each Delta commit it
 * makes, as Databricks records the job run in each commit's {@code job} field. It lets the version
 * resolver tell a commit of the chosen run from one of a later run, whatever the clocks say.
 *
 * <p>The stamp is a small JSON object, e.g. {@code {"deltasync_run":{"v":1,"run_id":12,
 * "workflow":"sample_workflow_1"}}}; {@code v} is the stamp's format version.
 */
public final class RunStamp {

  /** Format version of the stamp; readers accept this version and ignore unknown fields. */
  public static final int FORMAT_VERSION = 1;

  static final String FIELD = "deltasync_run";

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunStamp() {}

  /** The user metadata stamping a commit with {@code runId} of {@code workflow}. */
  public static String userMetadata(long runId, String workflow) {
    Objects.requireNonNull(workflow, "workflow");
    if (runId < 0) {
      throw new IllegalArgumentException("a run id is never negative, got " + runId);
    }
    ObjectNode root = JSON.createObjectNode();
    ObjectNode stamp = root.putObject(FIELD);
    stamp.put("v", FORMAT_VERSION);
    stamp.put("run_id", runId);
    stamp.put("workflow", workflow);
    return root.toString();
  }

  /**
   * The run id stamped in a commit's user metadata; empty when the metadata is absent, is not a
   * deltasync stamp (any other user metadata), or is malformed.
   */
  public static OptionalLong runId(String userMetadata) {
    if (userMetadata == null || userMetadata.isBlank()) {
      return OptionalLong.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(userMetadata);
    } catch (JsonProcessingException notJson) {
      return OptionalLong.empty();
    }
    if (root == null || !root.isObject()) {
      return OptionalLong.empty();
    }
    JsonNode runId = root.path(FIELD).path("run_id");
    if (!runId.canConvertToLong() || !runId.isIntegralNumber() || runId.asLong() < 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(runId.asLong());
  }
}
