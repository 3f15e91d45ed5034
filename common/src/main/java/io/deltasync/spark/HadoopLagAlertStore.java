package io.deltasync.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.status.LagAlertState.Alerted;
import io.deltasync.status.LagAlertState;
import io.deltasync.status.LagAlertStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The {@link LagAlertStore} next to the ledger: one small JSON file per workspace, {@code
 * <sync_location_secondary>/_deltasync/lag_alerts/<workspace_name>.json}, read and written through
 * Hadoop {@link FileSystem} (ABFS, S3A, GCS or the local file system):
 *
 * <pre>{@code
 * {"format_version": 1, "workspace": "ws",
 *  "lagging": {"orders": {"first_alert_at": "2026-01-06T10:00:00Z",
 *                         "last_alert_at": "2026-01-06T12:00:00Z",
 *                         "staleness_seconds": 9000, "newest_run_not_held": 9}}}
 * }</pre>
 *
 * <p>A write goes to a temporary file in the same folder, then is renamed over the old file (an
 * atomic move on the local file system, {@code FileContext.rename(OVERWRITE)} elsewhere), so a
 * reader never sees a partial file.
 */
public final class HadoopLagAlertStore implements LagAlertStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Configuration hadoopConf;

  public HadoopLagAlertStore(Configuration hadoopConf) {
    this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf");
  }

  /** The state file of {@code workspace}. */
  public static String location(WorkspaceConfig workspace) {
    String base = workspace.syncLocationSecondary();
    while (base.length() > 1 && base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "/_deltasync/lag_alerts/" + workspace.name() + ".json";
  }

  @Override
  public LagAlertState read(WorkspaceConfig workspace) {
    String location = location(workspace);
    Path path = new Path(location);
    JsonNode root;
    try {
      FileSystem fs = fileSystem(path);
      try (InputStream in = fs.open(path)) {
        root = JSON.readTree(in);
      }
    } catch (FileNotFoundException e) {
      return LagAlertState.empty();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw SyncErrors.lagAlertStateInvalid(location, "it is not JSON");
    } catch (IOException e) {
      throw SyncErrors.lagAlertStateIo(location, "read", e);
    }
    return parse(location, root);
  }

  private static LagAlertState parse(String location, JsonNode root) {
    if (root == null || !root.isObject() || !root.path("format_version").isInt()) {
      throw SyncErrors.lagAlertStateInvalid(location, "it has no format_version");
    }
    int format = root.get("format_version").intValue();
    if (format > LagAlertState.CURRENT_FORMAT) {
      throw SyncErrors.lagAlertStateTooNew(location, format, LagAlertState.CURRENT_FORMAT);
    }
    if (format < 1) {
      throw SyncErrors.lagAlertStateInvalid(location, "format_version " + format + " is not one");
    }
    JsonNode lagging = root.path("lagging");
    if (!lagging.isObject()) {
      throw SyncErrors.lagAlertStateInvalid(location, "\"lagging\" is not an object");
    }
    Map<String, Alerted> groups = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = lagging.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode g = entry.getValue();
      try {
        JsonNode run = g.path("newest_run_not_held");
        groups.put(entry.getKey(), new Alerted(
            Instant.parse(g.path("first_alert_at").asText()),
            Instant.parse(g.path("last_alert_at").asText()),
            g.path("staleness_seconds").asLong(),
            run.isIntegralNumber() ? OptionalLong.of(run.longValue()) : OptionalLong.empty()));
      } catch (DateTimeParseException e) {
        throw SyncErrors.lagAlertStateInvalid(location,
            "group " + entry.getKey() + " has no valid first_alert_at and last_alert_at");
      }
    }
    return new LagAlertState(format, groups);
  }

  @Override
  public void write(WorkspaceConfig workspace, LagAlertState state) {
    String location = location(workspace);
    Path target = new Path(location);
    Path temp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    ObjectNode root = JSON.createObjectNode();
    root.put("format_version", LagAlertState.CURRENT_FORMAT);
    root.put("workspace", workspace.name());
    ObjectNode lagging = root.putObject("lagging");
    new TreeMap<>(state.lagging()).forEach((group, alerted) -> {
      ObjectNode g = lagging.putObject(group);
      g.put("first_alert_at", alerted.firstAlertAt().toString());
      g.put("last_alert_at", alerted.lastAlertAt().toString());
      g.put("staleness_seconds", alerted.stalenessSeconds());
      if (alerted.newestRunNotHeld().isPresent()) {
        g.put("newest_run_not_held", alerted.newestRunNotHeld().getAsLong());
      } else {
        g.putNull("newest_run_not_held");
      }
    });
    byte[] bytes;
    try {
      bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw SyncErrors.lagAlertStateIo(location, "write", e);
    }
    try {
      FileSystem fs = fileSystem(target);
      fs.mkdirs(target.getParent());
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
      throw SyncErrors.lagAlertStateIo(location, "write", e);
    }
  }

  /** The file system of {@code path}; the local one without checksum files, which a move would orphan. */
  private FileSystem fileSystem(Path path) throws IOException {
    FileSystem fs = path.getFileSystem(hadoopConf);
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /** Renames {@code temp} over {@code target} in one step. */
  private void replace(FileSystem fs, Path temp, Path target) throws IOException {
    if (fs instanceof RawLocalFileSystem raw) {
      Files.move(raw.pathToFile(temp).toPath(), raw.pathToFile(target).toPath(),
          StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      FileContext.getFileContext(fs.getUri(), hadoopConf)
          .rename(temp, target, Options.Rename.OVERWRITE);
    }
  }
}
