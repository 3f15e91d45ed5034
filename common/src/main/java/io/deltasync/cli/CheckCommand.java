package io.deltasync.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.ConfigValidation;
import io.deltasync.config.Credentials;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code check --config FILE [--json]}: validates a config and prints its workspaces and groups,
 * or every problem with its key path (exit code 2). Reads no secret and touches no table.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validates a config and prints its workspaces and groups, or every problem with its key path.",
      "Exit code 0 when the config is valid, 2 when it is not (the problems go to stderr)."
    })
public final class CheckCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    ConfigValidation result = ConfigLoader.check(config.file());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(result.valid() ? validJson(result) : invalidJson(result)));
      out.flush();
    }
    DeltaSyncConfig valid = result.orThrow();
    if (!json) {
      printText(out, result.source(), valid);
      out.flush();
    }
    return ExitCodes.DONE;
  }

  private static void printText(PrintWriter out, String source, DeltaSyncConfig config) {
    List<SyncGroup> groups = config.allGroups();
    long tables = groups.stream().mapToLong(g -> g.tables().size()).sum();
    out.printf(
        "Config %s is valid: %s, %s, %s.%n",
        source,
        count(config.workspaces().size(), "workspace"),
        count(groups.size(), "group"),
        count(tables, "table"));
    for (WorkspaceConfig ws : config.workspaces()) {
      out.println();
      out.printf("Workspace %s  %s%n", ws.name(), ws.url());
      ws.secondaryUrl().ifPresent(url -> out.printf("  secondary        %s%n", url));
      out.printf("  credentials      %s%n", describe(ws.credentials()));
      ws.secondaryCredentials().ifPresent(
          c -> out.printf("  secondary creds  %s%n", describe(c)));
      out.printf(
          "  sync locations   primary %s, secondary %s%n",
          ws.syncLocationPrimary(), ws.syncLocationSecondary());
      out.printf(
          "  schedule         sync every %d min, failover check every %d min for up to %d min,"
              + " %d retries%n",
          ws.syncInterval().toMinutes(),
          ws.failoverInterval().toMinutes(),
          ws.failoverDeadline().toMinutes(),
          ws.maxRetries());
      out.printf(
          "  notifications    failure %s, success %s%n",
          ws.failureNotification().orElse("-"), ws.successNotification().orElse("-"));
      ws.local()
          .ifPresent(
              l -> out.printf(
                  "  embedded         primary %s, secondary %s%n", l.primaryDir(), l.secondaryDir()));
      for (SyncGroup group : ws.groups()) {
        out.printf(
            "  Group %s  %s, owner %s%n",
            group.name(),
            group.workflow().map(w -> "workflow " + w).orElse("standalone"),
            group.ownerEmail());
        for (TableMapping table : group.tables()) {
          out.printf(
              "    %s%s%n",
              table.source(),
              table.secondary().equals(table.source()) ? "" : " -> " + table.secondary());
        }
      }
    }
  }

  private static String describe(Credentials credentials) {
    if (credentials instanceof Credentials.Pat pat) {
      return "PAT in secret " + pat.token();
    }
    Credentials.OAuthM2M oauth = (Credentials.OAuthM2M) credentials;
    return "OAuth service principal, client id in secret " + oauth.clientId()
        + ", client secret in secret " + oauth.clientSecret();
  }

  /** The secret names of credentials, never their values. */
  private static Map<String, Object> credentialsJson(Credentials value) {
    Map<String, Object> credentials = new LinkedHashMap<>();
    if (value instanceof Credentials.Pat pat) {
      credentials.put("type", "pat");
      credentials.put("token", pat.token().toString());
    } else {
      Credentials.OAuthM2M oauth = (Credentials.OAuthM2M) value;
      credentials.put("type", "oauth-m2m");
      credentials.put("client_id", oauth.clientId().toString());
      credentials.put("client_secret", oauth.clientSecret().toString());
    }
    return credentials;
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static Map<String, Object> validJson(ConfigValidation result) {
    DeltaSyncConfig config = result.config().orElseThrow();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("valid", true);
    root.put("config", result.source());
    root.put("secret_scope", config.secretScope());
    root.put("workspaces", config.workspaces().stream().map(CheckCommand::workspaceJson).toList());
    return root;
  }

  private static Map<String, Object> workspaceJson(WorkspaceConfig ws) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("workspace_name", ws.name());
    map.put("workspace_instance_url", ws.url().toString());
    map.put("secondary_workspace_instance_url", ws.secondaryUrl().map(Object::toString).orElse(null));
    map.put("credentials", credentialsJson(ws.credentials()));
    ws.secondaryCredentials()
        .ifPresent(c -> map.put("secondary_credentials", credentialsJson(c)));
    map.put("sync_location_primary", ws.syncLocationPrimary());
    map.put("sync_location_secondary", ws.syncLocationSecondary());
    map.put("sync_interval_mins", ws.syncInterval().toMinutes());
    map.put("sync_failover_interval_mins", ws.failoverInterval().toMinutes());
    map.put("failover_deadline_mins", ws.failoverDeadline().toMinutes());
    map.put("sync_max_retries", ws.maxRetries());
    map.put("sync_failure_notification", ws.failureNotification().orElse(null));
    map.put("sync_success_notification", ws.successNotification().orElse(null));
    map.put(
        "local",
        ws.local()
            .map(l -> pair("primary_dir", l.primaryDir(), "secondary_dir", l.secondaryDir()))
            .orElse(null));
    map.put("sync_groups", ws.groups().stream().map(CheckCommand::groupJson).toList());
    return map;
  }

  private static Map<String, Object> groupJson(SyncGroup group) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("group_name", group.name());
    map.put("group_owner_email", group.ownerEmail());
    map.put("workflow", group.workflow().orElse(null));
    map.put("standalone", group.standalone());
    map.put(
        "tables",
        group.tables().stream()
            .map(t -> pair("name", t.source().toString(), "secondary_name", t.secondary().toString()))
            .toList());
    return map;
  }

  private static Map<String, Object> pair(String key1, Object value1, String key2, Object value2) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(key1, value1);
    map.put(key2, value2);
    return map;
  }

  private static Map<String, Object> invalidJson(ConfigValidation result) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("valid", false);
    root.put("config", result.source());
    root.put("problems", result.problems());
    return root;
  }

  private static String toJson(Object value) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
