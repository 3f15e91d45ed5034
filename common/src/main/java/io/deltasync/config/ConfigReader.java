package io.deltasync.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.deltasync.config.NotificationConfig.SmtpConfig;
import io.deltasync.table.TableName;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a parsed config tree into the typed model, collecting every problem with its key path
 * instead of stopping at the first. One instance reads one file.
 *
 * <p>Problems come in a stable order, so the same file always reports the same list: for each
 * object, its unknown keys (alphabetically) first, then its keys as the schema checks them, with
 * the cross-checks (credentials, duplicates) where they are decided.
 */
final class ConfigReader {

  // ---------------------------------------------------------------------------------------------
  // The schema: the keys each object may hold, in the order they are documented and checked.

  static final List<String> TOP_KEYS = List.of("secret_scope", "workspaces", "notifications");
  static final List<String> WORKSPACE_KEYS =
      List.of(
          "workspace_name",
          "workspace_instance_url",
          "secondary_workspace_instance_url",
          "secret_scope",
          "workspace_pat_key",
          "workspace_client_id_key",
          "workspace_client_secret_key",
          "secondary_workspace_pat_key",
          "secondary_workspace_client_id_key",
          "secondary_workspace_client_secret_key",
          "sync_location_primary",
          "sync_location_secondary",
          "sync_interval_mins",
          "sync_failover_interval_mins",
          "failover_deadline_mins",
          "sync_max_retries",
          "sync_failure_notification",
          "sync_success_notification",
          "sync_groups",
          "local",
          "lag_alert_mins",
          "ledger_catalog",
          "sync_parallel_groups",
          "sync_parallel_tables",
          "group_timeout_mins");
  static final List<String> GROUP_KEYS = List.of("group_name", "group_owner_email", "workflow", "tables", "lag_alert_mins");
  static final List<String> TABLE_KEYS = List.of("name", "secondary_name");
  static final List<String> LOCAL_KEYS = List.of("primary_dir", "secondary_dir", "jobs_api");
  static final List<String> NOTIFICATION_KEYS = List.of("smtp", "webhook_url_key");
  static final List<String> SMTP_KEYS =
      List.of("host", "port", "from", "username", "password_key", "starttls");

  /** Where each key belongs, to say so when one is written at the wrong level. */
  private static final Map<String, String> HOME = new LinkedHashMap<>();

  static {
    TOP_KEYS.forEach(k -> HOME.putIfAbsent(k, "the top level"));
    WORKSPACE_KEYS.forEach(k -> HOME.putIfAbsent(k, "each workspace (workspaces[i])"));
    GROUP_KEYS.forEach(k -> HOME.putIfAbsent(k, "each group (workspaces[i].sync_groups[j])"));
    LOCAL_KEYS.forEach(k -> HOME.putIfAbsent(k, "a workspace's local object"));
    NOTIFICATION_KEYS.forEach(k -> HOME.putIfAbsent(k, "notifications"));
    SMTP_KEYS.forEach(k -> HOME.putIfAbsent(k, "notifications.smtp"));
  }

  /** The prefix of the keys naming the secondary workspace's own credentials. */
  static final String SECONDARY = "secondary_";

  static final long DEFAULT_FAILOVER_DEADLINE_MINS = 60;
  static final int DEFAULT_SMTP_PORT = 587;
  static final boolean DEFAULT_STARTTLS = true;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,127}");
  private static final Pattern SECRET_SCOPE = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");
  private static final Pattern SECRET_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
  private static final Pattern DATABRICKS_TOKEN = Pattern.compile("dapi[0-9a-f]{32}(-\\d+)?");
  private static final Pattern EMAIL =
      Pattern.compile(
          "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,253}[a-z0-9]");
  private static final Pattern AZURE_AUTHORITY =
      Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?@[a-z0-9]{3,24}(?:\\.[A-Za-z0-9-]+)+");
  private static final Set<String> STORAGE_SCHEMES =
      Set.of("abfss", "abfs", "wasb", "wasbs", "s3a", "s3", "gs", "file");

  static final String STORAGE_HINT =
      "use abfss://container@account.dfs.core.windows.net/path, wasbs://container@account.blob.core.windows.net/path,"
          + " s3a://bucket/path, gs://bucket/path, file:/path or an absolute local path";

  private final Path baseDir;
  private final List<String> problems = new ArrayList<>();
  /** Key paths whose absence a reported typo already explains: one mistake, one message. */
  private final Set<String> explainedByTypo = new java.util.HashSet<>();

  /** @param baseDir the config file's folder: relative {@code local} folders resolve against it */
  ConfigReader(Path baseDir) {
    this.baseDir = baseDir;
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  /** The config, or empty when there was any problem (then {@link #problems()} says which). */
  Optional<DeltaSyncConfig> read(ConfigObject root) {
    checkUnknownKeys("", root, TOP_KEYS);
    Optional<String> scope = secretScope("", root, "secret_scope", true);
    Optional<NotificationConfig> notifications =
        optionalObject("", root, "notifications").map(n -> notifications("notifications", n, scope));

    List<WorkspaceConfig> workspaces = new ArrayList<>();
    Optional<ConfigList> list = list("", root, "workspaces", true);
    if (list.isPresent() && list.get().isEmpty()) {
      problem("workspaces", "is empty: list at least one workspace");
    }
    Map<String, String> workspaceNames = new LinkedHashMap<>();
    Map<String, String> groupNames = new LinkedHashMap<>();
    for (int i = 0; list.isPresent() && i < list.get().size(); i++) {
      String path = "workspaces[" + i + "]";
      Optional<ConfigObject> object = asObject(path, list.get().get(i), "a workspace object");
      if (object.isPresent()) {
        workspace(path, object.get(), scope, workspaceNames, groupNames).ifPresent(workspaces::add);
      }
    }
    if (!problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DeltaSyncConfig(scope.orElseThrow(), workspaces, notifications));
  }

  // ---------------------------------------------------------------------------------------------
  // Objects of the schema

  private Optional<WorkspaceConfig> workspace(
      String path,
      ConfigObject ws,
      Optional<String> topScope,
      Map<String, String> workspaceNames,
      Map<String, String> groupNames) {
    checkUnknownKeys(path, ws, WORKSPACE_KEYS);
    Optional<String> name = name(path, ws, "workspace_name", true);
    name.ifPresent(
        n -> {
          String first = workspaceNames.putIfAbsent(n, path);
          if (first != null) {
            problem(
                join(path, "workspace_name"),
                "duplicate workspace name \"" + n + "\", already used by " + first
                    + ": workspace names must be unique");
          }
        });
    Optional<URI> url = url(path, ws, "workspace_instance_url", true);
    Optional<URI> secondaryUrl = url(path, ws, "secondary_workspace_instance_url", false);
    Optional<String> ownScope = secretScope(path, ws, "secret_scope", false);
    Optional<String> scope = ownScope.isPresent() ? ownScope : topScope;
    Optional<Credentials> credentials = credentials(path, ws, scope, "");
    Optional<Credentials> secondaryCredentials = Optional.empty();
    Optional<String> secondaryKey = Stream.of(SECONDARY + "workspace_pat_key",
            SECONDARY + "workspace_client_id_key", SECONDARY + "workspace_client_secret_key")
        .filter(k -> present(ws, k)).findFirst();
    if (secondaryKey.isPresent()) {
      secondaryCredentials = credentials(path, ws, scope, SECONDARY);
      if (!present(ws, "secondary_workspace_instance_url")) {
        problem(
            join(path, secondaryKey.get()),
            "names the secondary workspace's credentials, but secondary_workspace_instance_url is"
                + " not set: set the secondary workspace's URL, or remove the key");
      }
    }
    Optional<String> primary = storage(path, ws, "sync_location_primary", true);
    Optional<String> secondary = storage(path, ws, "sync_location_secondary", true);
    if (primary.isPresent() && secondary.isPresent()
        && trimSlash(primary.get()).equals(trimSlash(secondary.get()))) {
      problem(
          join(path, "sync_location_secondary"),
          "is the same location as sync_location_primary (\"" + primary.get()
              + "\"): each region needs its own sync location");
    }
    Optional<Long> interval = positiveMinutes(path, ws, "sync_interval_mins", true);
    Optional<Long> failoverInterval = positiveMinutes(path, ws, "sync_failover_interval_mins", true);
    Optional<Long> deadline = positiveMinutes(path, ws, "failover_deadline_mins", false);
    Optional<Long> retries = integer(path, ws, "sync_max_retries", true, false);
    retries.ifPresent(
        r -> {
          if (r < 0 || r > 100) {
            problem(join(path, "sync_max_retries"), "must be between 0 and 100, got " + r);
          }
        });
    Optional<String> failureNotification = email(path, ws, "sync_failure_notification", false);
    Optional<String> successNotification = email(path, ws, "sync_success_notification", false);
    Optional<LocalRegions> local =
        optionalObject(path, ws, "local").flatMap(l -> local(join(path, "local"), l));
    Optional<Long> lagAlert = positiveMinutes(path, ws, "lag_alert_mins", false);
    Optional<String> ledgerCatalog = catalog(path, ws, "ledger_catalog");
    Optional<Long> parallelGroups = parallel(path, ws, "sync_parallel_groups");
    Optional<Long> parallelTables = parallel(path, ws, "sync_parallel_tables");
    Optional<Long> groupTimeout = positiveMinutes(path, ws, "group_timeout_mins", false);

    List<SyncGroup> groups = new ArrayList<>();
    Optional<ConfigList> groupList = list(path, ws, "sync_groups", true);
    if (groupList.isPresent() && groupList.get().isEmpty()) {
      problem(join(path, "sync_groups"), "is empty: list at least one group");
    }
    Map<TableName, String> sources = new LinkedHashMap<>();
    Map<TableName, String> targets = new LinkedHashMap<>();
    for (int j = 0; groupList.isPresent() && j < groupList.get().size(); j++) {
      String groupPath = path + ".sync_groups[" + j + "]";
      Optional<ConfigObject> object = asObject(groupPath, groupList.get().get(j), "a group object");
      if (object.isPresent()) {
        group(groupPath, object.get(), name.orElse("?"), groupNames, sources, targets)
            .ifPresent(groups::add);
      }
    }
    if (secondaryKey.isPresent() && secondaryCredentials.isEmpty()) {
      return Optional.empty();
    }
    if (name.isEmpty() || url.isEmpty() || credentials.isEmpty() || primary.isEmpty()
        || secondary.isEmpty() || interval.isEmpty() || failoverInterval.isEmpty()
        || retries.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new WorkspaceConfig(
            name.get(),
            url.get(),
            secondaryUrl,
            credentials.get(),
            secondaryCredentials,
            primary.get(),
            secondary.get(),
            Duration.ofMinutes(interval.get()),
            Duration.ofMinutes(failoverInterval.get()),
            Duration.ofMinutes(deadline.orElse(DEFAULT_FAILOVER_DEADLINE_MINS)),
            retries.get().intValue(),
            failureNotification,
            successNotification,
            groups,
            local,
            lagAlert.map(Duration::ofMinutes).orElse(WorkspaceConfig.DEFAULT_LAG_ALERT),
            ledgerCatalog,
            new Parallelism(
                parallelGroups.orElse((long) Parallelism.DEFAULT_GROUPS).intValue(),
                parallelTables.orElse((long) Parallelism.DEFAULT_TABLES).intValue(),
                groupTimeout.map(Duration::ofMinutes).orElse(Parallelism.DEFAULT_GROUP_TIMEOUT))));
  }

  /** How many groups or tables run at once: a whole number from 1 to {@link Parallelism#MAX}. */
  private Optional<Long> parallel(String path, ConfigObject object, String key) {
    Optional<Long> value = integer(path, object, key, false, false);
    if (value.isPresent() && (value.get() < 1 || value.get() > Parallelism.MAX)) {
      problem(join(path, key), "must be between 1 and " + Parallelism.MAX + ", got " + value.get()
          + ": 1 runs one at a time, more run that many at once");
      return Optional.empty();
    }
    return value;
  }

  /**
   * The credentials named by {@code <prefix>workspace_pat_key}, or by
   * {@code <prefix>workspace_client_id_key} and {@code <prefix>workspace_client_secret_key}: the
   * primary workspace's with no prefix, the secondary's with {@value #SECONDARY}.
   */
  private Optional<Credentials> credentials(
      String path, ConfigObject ws, Optional<String> scope, String prefix) {
    String patName = prefix + "workspace_pat_key";
    String idName = prefix + "workspace_client_id_key";
    String secretName = prefix + "workspace_client_secret_key";
    boolean pat = present(ws, patName);
    boolean clientId = present(ws, idName);
    boolean clientSecret = present(ws, secretName);
    Optional<String> patKey = secretKey(path, ws, patName);
    Optional<String> idKey = secretKey(path, ws, idName);
    Optional<String> secretKey = secretKey(path, ws, secretName);
    if (!pat && !clientId && !clientSecret) {
      if (Stream.of(patName, idName, secretName)
          .anyMatch(k -> explainedByTypo.contains(join(path, k)))) {
        return Optional.empty();
      }
      problem(
          path,
          "no credentials: set " + patName + ", or " + idName + " and " + secretName
              + " (names of keys in the secret scope)");
      return Optional.empty();
    }
    if (pat && (clientId || clientSecret)) {
      problem(
          path,
          "both " + patName + " and " + idName + "/" + secretName + " are set:"
              + " use one style of credentials, a PAT or an OAuth service principal");
      return Optional.empty();
    }
    if (!pat && clientId != clientSecret) {
      String missing = clientId ? secretName : idName;
      if (explainedByTypo.contains(join(path, missing))) {
        return Optional.empty();
      }
      String set = clientId ? idName : secretName;
      problem(
          join(path, missing),
          "required key is missing: " + set + " is set, and OAuth needs both the client id and"
              + " the client secret key");
      return Optional.empty();
    }
    if (scope.isEmpty()) {
      return Optional.empty();
    }
    if (pat) {
      return patKey.map(k -> new Credentials.Pat(new SecretRef(scope.get(), k)));
    }
    if (idKey.isEmpty() || secretKey.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Credentials.OAuthM2M(
            new SecretRef(scope.get(), idKey.get()), new SecretRef(scope.get(), secretKey.get())));
  }

  private Optional<SyncGroup> group(
      String path,
      ConfigObject group,
      String workspace,
      Map<String, String> groupNames,
      Map<TableName, String> sources,
      Map<TableName, String> targets) {
    checkUnknownKeys(path, group, GROUP_KEYS);
    Optional<String> name = name(path, group, "group_name", true);
    name.ifPresent(
        n -> {
          String first = groupNames.putIfAbsent(n, path);
          if (first != null) {
            problem(
                join(path, "group_name"),
                "duplicate group name \"" + n + "\", already used by " + first
                    + ": group names must be unique across the config");
          }
        });
    Optional<String> owner = email(path, group, "group_owner_email", true);
    Optional<String> workflow = string(path, group, "workflow", false);
    Optional<Long> lagAlert = positiveMinutes(path, group, "lag_alert_mins", false);
    if (lagAlert.isPresent() && !present(group, "workflow")) {
      problem(join(path, "lag_alert_mins"), "is set on a standalone group (no workflow), which"
          + " lag alerts never watch: remove it, or set the group's workflow");
    }
    List<TableMapping> tables = new ArrayList<>();
    Optional<ConfigList> list = list(path, group, "tables", true);
    if (list.isPresent() && list.get().isEmpty()) {
      problem(join(path, "tables"), "is empty: list at least one catalog.schema.table");
    }
    String groupLabel = name.map(n -> "group \"" + n + "\"").orElse(path);
    for (int k = 0; list.isPresent() && k < list.get().size(); k++) {
      String tablePath = path + ".tables[" + k + "]";
      Optional<TableMapping> table = table(tablePath, list.get().get(k));
      if (table.isEmpty()) {
        continue;
      }
      tables.add(table.get());
      String where = groupLabel + " (" + tablePath + ")";
      String first = sources.putIfAbsent(table.get().source(), where);
      if (first != null) {
        problem(
            tablePath,
            "table \"" + table.get().source() + "\" is already in " + first
                + ": a table belongs to exactly one group");
        continue;
      }
      String firstTarget = targets.putIfAbsent(table.get().secondary(), where);
      if (firstTarget != null) {
        problem(
            tablePath,
            "secondary table \"" + table.get().secondary() + "\" is already the target of "
                + firstTarget + ": two tables cannot sync into one");
      }
    }
    if (name.isEmpty() || owner.isEmpty() || list.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SyncGroup(workspace, name.get(), owner.get(), workflow, tables,
        lagAlert.map(Duration::ofMinutes)));
  }

  private Optional<TableMapping> table(String path, ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING) {
      return tableName(path, (String) value.unwrapped()).map(TableMapping::sameName);
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problem(
          path,
          "expected a table name \"catalog.schema.table\" or an object {name, secondary_name}, got "
              + describe(value));
      return Optional.empty();
    }
    ConfigObject object = (ConfigObject) value;
    checkUnknownKeys(path, object, TABLE_KEYS);
    Optional<TableName> source =
        string(path, object, "name", true).flatMap(n -> tableName(join(path, "name"), n));
    Optional<String> secondaryText = string(path, object, "secondary_name", false);
    Optional<TableName> secondary =
        secondaryText.flatMap(n -> tableName(join(path, "secondary_name"), n));
    if (source.isEmpty() || (secondaryText.isPresent() && secondary.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new TableMapping(source.get(), secondary.orElse(source.get())));
  }

  private Optional<TableName> tableName(String path, String text) {
    if (!TableName.isValid(text)) {
      problem(
          path,
          "\"" + text + "\" is not a catalog.schema.table name: write three identifiers"
              + " (letters, digits, _ or -, not starting with a digit or -) separated by dots");
      return Optional.empty();
    }
    return Optional.of(TableName.parse(text));
  }

  private Optional<LocalRegions> local(String path, ConfigObject local) {
    checkUnknownKeys(path, local, LOCAL_KEYS);
    Optional<String> primary = localDir(path, local, "primary_dir");
    Optional<String> secondary = localDir(path, local, "secondary_dir");
    if (primary.isEmpty() || secondary.isEmpty()) {
      return Optional.empty();
    }
    if (trimSlash(primary.get()).equals(trimSlash(secondary.get()))) {
      problem(
          join(path, "secondary_dir"),
          "is the same folder as primary_dir (\"" + primary.get() + "\"): the regions need two"
              + " folders");
      return Optional.empty();
    }
    boolean jobsApi = bool(path, local, "jobs_api").orElse(false);
    return Optional.of(new LocalRegions(primary.get(), secondary.get(), jobsApi));
  }

  private Optional<String> localDir(String path, ConfigObject local, String key) {
    Optional<String> text = string(path, local, key, true);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String dir = text.get();
    if (!dir.contains(":") && !dir.startsWith("/")) {
      // A relative folder is relative to the config file, so a config and its regions travel together.
      dir = baseDir.resolve(dir).toAbsolutePath().normalize().toString();
    }
    if (storageProblem(dir).isPresent()) {
      problem(join(path, key), "\"" + text.get() + "\" is not a folder: " + storageProblem(dir).get()
          + " (a relative folder is resolved against the config file's folder)");
      return Optional.empty();
    }
    return Optional.of(dir);
  }

  private NotificationConfig notifications(
      String path, ConfigObject object, Optional<String> scope) {
    checkUnknownKeys(path, object, NOTIFICATION_KEYS);
    Optional<SmtpConfig> smtp =
        optionalObject(path, object, "smtp").flatMap(s -> smtp(join(path, "smtp"), s, scope));
    Optional<SecretRef> webhook =
        secretKey(path, object, "webhook_url_key")
            .flatMap(k -> scope.map(s -> new SecretRef(s, k)));
    return new NotificationConfig(smtp, webhook);
  }

  private Optional<SmtpConfig> smtp(String path, ConfigObject smtp, Optional<String> scope) {
    checkUnknownKeys(path, smtp, SMTP_KEYS);
    Optional<String> host = string(path, smtp, "host", true);
    if (host.isPresent() && !HOST.matcher(host.get()).matches()) {
      problem(
          join(path, "host"),
          "\"" + host.get() + "\" is not a host name: write only the host, e.g. smtp.example.com"
              + " (no scheme, no port)");
      host = Optional.empty();
    }
    Optional<Long> port = integer(path, smtp, "port", false, false);
    if (port.isPresent() && (port.get() < 1 || port.get() > 65535)) {
      problem(join(path, "port"), "must be a port number between 1 and 65535, got " + port.get());
      port = Optional.empty();
    } else if (port.isEmpty() && !present(smtp, "port")) {
      port = Optional.of((long) DEFAULT_SMTP_PORT);
    }
    Optional<String> from = email(path, smtp, "from", true);
    Optional<String> username = string(path, smtp, "username", false);
    Optional<String> passwordKey = secretKey(path, smtp, "password_key");
    if (passwordKey.isPresent() && username.isEmpty() && !present(smtp, "username")) {
      problem(
          join(path, "username"),
          "required key is missing: password_key is set, so the SMTP login needs a username");
    }
    Optional<Boolean> startTls = bool(path, smtp, "starttls");
    if (host.isEmpty() || port.isEmpty() || from.isEmpty() || scope.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new SmtpConfig(
            host.get(),
            port.get().intValue(),
            from.get(),
            username,
            passwordKey.map(k -> new SecretRef(scope.get(), k)),
            startTls.orElse(DEFAULT_STARTTLS)));
  }

  // ---------------------------------------------------------------------------------------------
  // Typed values

  private Optional<String> name(String path, ConfigObject object, String key, boolean required) {
    Optional<String> text = string(path, object, key, required);
    if (text.isPresent() && !NAME.matcher(text.get()).matches()) {
      problem(
          join(path, key),
          "\"" + text.get() + "\" is not a valid name: use letters, digits, _ or - (at most 128,"
              + " not starting with -)");
      return Optional.empty();
    }
    return text;
  }

  private Optional<String> secretScope(String path, ConfigObject object, String key, boolean required) {
    Optional<String> text = string(path, object, key, required);
    if (text.isPresent() && !SECRET_SCOPE.matcher(text.get()).matches()) {
      problem(
          join(path, key),
          "\"" + text.get() + "\" is not a secret scope name: use letters, digits, -, _, . or @"
              + " (at most 128 characters)");
      return Optional.empty();
    }
    return text;
  }

  /**
   * The name of a key in a secret scope. Its value is never echoed when it is wrong: whoever gets
   * it wrong may have pasted the secret itself.
   */
  private Optional<String> secretKey(String path, ConfigObject object, String key) {
    ConfigValue value = object.get(key);
    if (value == null || value.valueType() == ConfigValueType.NULL) {
      return Optional.empty();
    }
    if (value.valueType() != ConfigValueType.STRING) {
      problem(join(path, key), "expected the name of a key in the secret scope, got " + typeName(value));
      return Optional.empty();
    }
    String text = (String) value.unwrapped();
    if (DATABRICKS_TOKEN.matcher(text).matches()) {
      problem(
          join(path, key),
          "looks like a Databricks token, not the name of a secret key (the value is not shown):"
              + " store the token in the secret scope, name its key here, and revoke the token");
      return Optional.empty();
    }
    if (!SECRET_KEY.matcher(text).matches()) {
      problem(
          join(path, key),
          "is not the name of a secret key (the value is not shown, in case it is a secret): name"
              + " a key in the secret scope with letters, digits, -, _ or . (at most 128); secrets"
              + " themselves never go in the config");
      return Optional.empty();
    }
    return Optional.of(text);
  }

  private Optional<URI> url(String path, ConfigObject object, String key, boolean required) {
    Optional<String> text = string(path, object, key, required);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String hint =
        ": write the workspace's https address, e.g. https://adb-1234567890123456.7.azuredatabricks.net";
    URI uri;
    try {
      uri = new URI(text.get());
    } catch (URISyntaxException e) {
      problem(join(path, key), "\"" + text.get() + "\" is not a URL" + hint);
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http"))
        || uri.getHost() == null
        || uri.getUserInfo() != null
        || uri.getQuery() != null
        || uri.getFragment() != null) {
      problem(join(path, key), "\"" + text.get() + "\" is not a URL" + hint);
      return Optional.empty();
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      problem(
          join(path, key),
          "\"" + text.get() + "\" uses plain http: a workspace URL must be https (http is accepted"
              + " for localhost only, e.g. a local test server)");
      return Optional.empty();
    }
    return Optional.of(uri);
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
  }

  private Optional<String> storage(String path, ConfigObject object, String key, boolean required) {
    Optional<String> text = string(path, object, key, required);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> why = storageProblem(text.get());
    if (why.isPresent()) {
      problem(join(path, key), "\"" + text.get() + "\" is not a storage location: " + why.get());
      return Optional.empty();
    }
    return text;
  }

  /** Why a text is not a storage location, or empty when it is one. */
  static Optional<String> storageProblem(String text) {
    if (text.startsWith("/")) {
      return text.startsWith("//") ? Optional.of(STORAGE_HINT) : Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return Optional.of(STORAGE_HINT);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!STORAGE_SCHEMES.contains(scheme)) {
      return Optional.of(STORAGE_HINT);
    }
    String authority = uri.getRawAuthority();
    switch (scheme) {
      case "file" -> {
        boolean localAuthority = authority == null || authority.equals("localhost");
        if (!localAuthority || uri.getPath() == null || !uri.getPath().startsWith("/")) {
          return Optional.of("a file: location needs an absolute path, e.g. file:/data/sync");
        }
      }
      case "abfss", "abfs", "wasb", "wasbs" -> {
        if (authority == null || !AZURE_AUTHORITY.matcher(authority).matches()) {
          return Optional.of(
              "an Azure location needs container@account.host, e.g. "
                  + scheme + "://dr-sync@account." + (scheme.startsWith("abfs") ? "dfs" : "blob")
                  + ".core.windows.net/path");
        }
      }
      default -> {
        if (authority == null || !BUCKET.matcher(authority).matches()) {
          return Optional.of("a " + scheme + ":// location needs a bucket, e.g. " + scheme + "://my-bucket/path");
        }
      }
    }
    return Optional.empty();
  }

  private Optional<String> email(String path, ConfigObject object, String key, boolean required) {
    Optional<String> text = string(path, object, key, required);
    if (text.isPresent() && !EMAIL.matcher(text.get()).matches()) {
      problem(join(path, key), "\"" + text.get() + "\" is not an email address: write one address, e.g. team@example.com");
      return Optional.empty();
    }
    return text;
  }

  /** A Unity Catalog catalog name: letters, digits and underscores. */
  private Optional<String> catalog(String path, ConfigObject object, String key) {
    Optional<String> text = string(path, object, key, false);
    if (text.isPresent() && !text.get().matches("[A-Za-z0-9_]+")) {
      problem(join(path, key), "\"" + text.get() + "\" is not a catalog name: use letters, digits"
          + " and underscores, e.g. dr_test_catalog");
      return Optional.empty();
    }
    return text;
  }

  private Optional<Long> positiveMinutes(String path, ConfigObject object, String key, boolean required) {
    Optional<Long> minutes = integer(path, object, key, required, true);
    if (minutes.isPresent() && minutes.get() <= 0) {
      problem(join(path, key), "must be a positive number of minutes, got " + minutes.get());
      return Optional.empty();
    }
    return minutes;
  }

  /** A whole number, written as a number or as a string of digits (seed 004 writes "3"). */
  private Optional<Long> integer(
      String path, ConfigObject object, String key, boolean required, boolean minutes) {
    ConfigValue value = value(path, object, key, required);
    if (value == null) {
      return Optional.empty();
    }
    String expected = minutes ? "a whole number of minutes" : "a whole number";
    BigDecimal number = null;
    if (value.valueType() == ConfigValueType.NUMBER) {
      number = new BigDecimal(value.unwrapped().toString());
    } else if (value.valueType() == ConfigValueType.STRING) {
      String text = ((String) value.unwrapped()).trim();
      if (text.matches("[+-]?\\d{1,18}")) {
        number = new BigDecimal(text);
      }
    }
    if (number == null) {
      problem(join(path, key), "expected " + expected + ", got " + describe(value));
      return Optional.empty();
    }
    try {
      long whole = number.longValueExact();
      if (whole > Integer.MAX_VALUE || whole < Integer.MIN_VALUE) {
        problem(join(path, key), "is too large, got " + whole);
        return Optional.empty();
      }
      return Optional.of(whole);
    } catch (ArithmeticException fraction) {
      problem(join(path, key), "expected " + expected + ", got " + describe(value));
      return Optional.empty();
    }
  }

  private Optional<Boolean> bool(String path, ConfigObject object, String key) {
    ConfigValue value = value(path, object, key, false);
    if (value == null) {
      return Optional.empty();
    }
    if (value.valueType() == ConfigValueType.BOOLEAN) {
      return Optional.of((Boolean) value.unwrapped());
    }
    if (value.valueType() == ConfigValueType.STRING) {
      String text = ((String) value.unwrapped()).trim().toLowerCase(Locale.ROOT);
      if (text.equals("true") || text.equals("false")) {
        return Optional.of(Boolean.parseBoolean(text));
      }
    }
    problem(join(path, key), "expected true or false, got " + describe(value));
    return Optional.empty();
  }

  private Optional<String> string(String path, ConfigObject object, String key, boolean required) {
    ConfigValue value = value(path, object, key, required);
    if (value == null) {
      return Optional.empty();
    }
    if (value.valueType() != ConfigValueType.STRING) {
      problem(join(path, key), "expected a string, got " + describe(value));
      return Optional.empty();
    }
    String text = (String) value.unwrapped();
    if (text.isBlank()) {
      problem(join(path, key), "must not be empty");
      return Optional.empty();
    }
    return Optional.of(text.trim());
  }

  private Optional<ConfigList> list(String path, ConfigObject object, String key, boolean required) {
    ConfigValue value = value(path, object, key, required);
    if (value == null) {
      return Optional.empty();
    }
    if (value.valueType() != ConfigValueType.LIST) {
      problem(join(path, key), "expected a list [...], got " + describe(value));
      return Optional.empty();
    }
    return Optional.of((ConfigList) value);
  }

  private Optional<ConfigObject> optionalObject(String path, ConfigObject object, String key) {
    ConfigValue value = value(path, object, key, false);
    return value == null ? Optional.empty() : asObject(join(path, key), value, "an object {...}");
  }

  private Optional<ConfigObject> asObject(String path, ConfigValue value, String expected) {
    if (value.valueType() != ConfigValueType.OBJECT) {
      problem(path, "expected " + expected + ", got " + describe(value));
      return Optional.empty();
    }
    return Optional.of((ConfigObject) value);
  }

  /** The value of a key, or null when absent (a problem if required). JSON null counts as absent. */
  private ConfigValue value(String path, ConfigObject object, String key, boolean required) {
    ConfigValue value = object.get(key);
    if (value == null || value.valueType() == ConfigValueType.NULL) {
      if (required && !explainedByTypo.contains(join(path, key))) {
        problem(join(path, key), "required key is missing");
      }
      return null;
    }
    return value;
  }

  private static boolean present(ConfigObject object, String key) {
    ConfigValue value = object.get(key);
    return value != null && value.valueType() != ConfigValueType.NULL;
  }

  // ---------------------------------------------------------------------------------------------
  // Unknown keys

  private void checkUnknownKeys(String path, ConfigObject object, List<String> known) {
    for (String key : new TreeSet<>(object.keySet())) {
      if (!known.contains(key)) {
        problem(join(path, key), unknownKey(key, known));
        suggestion(key, known).ifPresent(meant -> explainedByTypo.add(join(path, meant)));
      }
    }
  }

  /** The message for an unknown key: the closest known key, or where the key belongs. */
  static String unknownKey(String key, List<String> known) {
    if (known.contains(key + "_key")) {
      return "unknown key, did you mean \"" + key + "_key\"? Secrets never go in the config:"
          + " store the value in the secret scope and name its key in " + key + "_key";
    }
    Optional<String> closest = closest(key, known);
    if (closest.isPresent()) {
      return "unknown key, did you mean \"" + closest.get() + "\"?";
    }
    String home = HOME.get(key);
    if (home != null) {
      return "unknown key here: " + key + " belongs in " + home;
    }
    return "unknown key (known keys here: " + String.join(", ", known) + ")";
  }

  private static Optional<String> suggestion(String key, List<String> known) {
    return known.contains(key + "_key") ? Optional.of(key + "_key") : closest(key, known);
  }

  /** The known key a typo most likely meant, if any is close enough. */
  static Optional<String> closest(String key, List<String> known) {
    String normalized = normalize(key);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      if (normalize(candidate).equals(normalized)) {
        return Optional.of(candidate);
      }
      int distance = levenshtein(key.toLowerCase(Locale.ROOT), candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.max(2, Math.min(key.length(), best == null ? 0 : best.length()) / 3);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  private static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  static int levenshtein(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  // ---------------------------------------------------------------------------------------------
  // Paths and descriptions

  private void problem(String path, String message) {
    problems.add(path + ": " + message);
  }

  static String join(String path, String key) {
    String segment = key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key.replace("\"", "\\\"") + "\"";
    return path.isEmpty() ? segment : path + "." + segment;
  }

  private static String describe(ConfigValue value) {
    return switch (value.valueType()) {
      case STRING -> "\"" + value.unwrapped() + "\"";
      case NUMBER, BOOLEAN -> value.unwrapped().toString();
      default -> typeName(value);
    };
  }

  private static String typeName(ConfigValue value) {
    return switch (value.valueType()) {
      case OBJECT -> "an object";
      case LIST -> "a list";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case STRING -> "string";
    };
  }

  private static String trimSlash(String location) {
    return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
  }
}
