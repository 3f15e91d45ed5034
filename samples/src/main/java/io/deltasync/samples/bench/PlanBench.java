package io.deltasync.samples.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.clone.TableCloner;
import io.deltasync.config.ConfigLoader;
import io.deltasync.config.DeltaSyncConfig;
import io.deltasync.config.SyncGroup;
import io.deltasync.config.TableMapping;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.databricks.JobsApiRunSource;
import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.LedgerState;
import io.deltasync.ledger.LedgerTxn;
import io.deltasync.ledger.SyncLedger;
import io.deltasync.ledger.SyncStatus;
import io.deltasync.runs.TableHistory;
import io.deltasync.runtime.SyncWiring;
import io.deltasync.secrets.SecretProvider;
import io.deltasync.spark.DeltaSyncLedger;
import io.deltasync.spark.PortableCloner;
import io.deltasync.spark.SparkTableHistory;
import io.deltasync.spark.SparkTableIds;
import io.deltasync.sync.CycleResult;
import io.deltasync.sync.GroupStatus;
import io.deltasync.sync.Placement;
import io.deltasync.sync.Sender;
import io.deltasync.table.TableLocation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The planning benchmark: one sender cycle over many groups with nothing new. Each group's
 * workflow is a job of a Jobs API served by a local HTTP server that adds a fixed latency to every
 * call; the real SDK ({@code JobsApiRunSource}) talks to it. The tables are real (small) local
 * Delta tables, and the ledger already holds each group's sync point at the workflow's last
 * successful run, so every group must come out UP_TO_DATE and nothing is copied.
 *
 * <p>Each sync point records its tables' Delta ids, as a real sender's do, so the sender reads every
 * table's id once per cycle to notice a table dropped and created again.
 *
 * <p>Reports wall time, the ledger read's share of it, API calls (counted by the server, per
 * endpoint), table id reads and Delta log reads (table history reads and cloner calls), all
 * counted by decorators. Target: under 10 s, and one runs-list call per workflow.
 */
public final class PlanBench {

  static final String LIST_JOBS = "/api/2.2/jobs/list";
  static final String LIST_RUNS = "/api/2.2/jobs/runs/list";
  static final Duration TARGET_WALL = Duration.ofSeconds(10);

  /**
   * @param dir the bench folder, wiped at start
   * @param groups groups (one workflow each)
   * @param tablesPerGroup tables per group
   * @param latency added to every API call
   */
  public record Settings(Path dir, int groups, int tablesPerGroup, Duration latency) {
    public Settings {
      Objects.requireNonNull(dir, "dir");
    }

    public static Settings defaults(Path dir) {
      return new Settings(dir, 200, 5, Duration.ofMillis(50));
    }
  }

  /**
   * The figures.
   *
   * @param groups groups in the cycle
   * @param tables tables in the cycle
   * @param upToDate groups that came out UP_TO_DATE
   * @param wall wall time of the cycle
   * @param apiCalls calls per endpoint, as the server counted them
   * @param historyReads Delta history reads (DESCRIBE HISTORY)
   * @param clonerCalls cloner calls (latestVersion, clonedVersion, clone)
   * @param latency added per API call
   * @param tableIdReads table id reads (the source tables' Delta ids)
   * @param ledgerRead wall time of the cycle's ledger read (part of {@code wall})
   * @param parallelGroups groups worked on at once ({@code sync_parallel_groups})
   */
  public record Result(int groups, int tables, int upToDate, Duration wall,
      Map<String, Long> apiCalls, long historyReads, long clonerCalls, Duration latency,
      long tableIdReads, Duration ledgerRead, int parallelGroups) {

    public long totalApiCalls() {
      return apiCalls.values().stream().mapToLong(Long::longValue).sum();
    }

    public long runsListCalls() {
      return apiCalls.getOrDefault(LIST_RUNS, 0L);
    }

    public boolean pass() {
      return wall.compareTo(TARGET_WALL) < 0 && runsListCalls() == groups && upToDate == groups;
    }

    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add(String.format(Locale.ROOT, "plan: one sender cycle, %d groups x %d tables, nothing"
          + " new, Jobs API +%d ms per call", groups, tables / Math.max(1, groups), latency.toMillis()));
      String f = "%-44s %12s";
      out.add(String.format(Locale.ROOT, f, "FIGURE", "VALUE"));
      out.add(String.format(Locale.ROOT, f, "wall time of the cycle",
          String.format(Locale.ROOT, "%.1f s", wall.toMillis() / 1000.0)));
      out.add(String.format(Locale.ROOT, f, "  of which the ledger read",
          String.format(Locale.ROOT, "%.1f s", ledgerRead.toMillis() / 1000.0)));
      out.add(String.format(Locale.ROOT, f, "groups at once (sync_parallel_groups)",
          parallelGroups));
      out.add(String.format(Locale.ROOT, f, "groups UP_TO_DATE", upToDate + "/" + groups));
      out.add(String.format(Locale.ROOT, f, "Jobs API calls (server-side)", totalApiCalls()));
      for (Map.Entry<String, Long> e : apiCalls.entrySet()) {
        out.add(String.format(Locale.ROOT, f, "  " + e.getKey(), e.getValue()));
      }
      out.add(String.format(Locale.ROOT, f, "runs-list calls per workflow",
          String.format(Locale.ROOT, "%.2f", (double) runsListCalls() / groups)));
      out.add(String.format(Locale.ROOT, f, "table id reads", tableIdReads));
      out.add(String.format(Locale.ROOT, f, "Delta log reads (table history)", historyReads));
      out.add(String.format(Locale.ROOT, f, "Delta log reads (cloner calls)", clonerCalls));
      out.add(String.format(Locale.ROOT, "target: under %d s and one runs-list call per workflow: %s",
          TARGET_WALL.toSeconds(), pass() ? "PASS" : "MISS"));
      return out;
    }

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bench", "plan");
      m.put("groups", groups);
      m.put("tables", tables);
      m.put("up_to_date", upToDate);
      m.put("wall_ms", wall.toMillis());
      m.put("ledger_read_ms", ledgerRead.toMillis());
      m.put("parallel_groups", parallelGroups);
      m.put("table_id_reads", tableIdReads);
      m.put("api_latency_ms", latency.toMillis());
      m.put("api_calls", totalApiCalls());
      m.put("api_calls_by_endpoint", apiCalls);
      m.put("runs_list_calls_per_workflow", (double) runsListCalls() / groups);
      m.put("history_reads", historyReads);
      m.put("cloner_calls", clonerCalls);
      m.put("target_wall_ms", TARGET_WALL.toMillis());
      m.put("pass", pass());
      return m;
    }
  }

  private final SparkSession spark;
  private final Settings settings;
  private final Consumer<String> progress;

  public PlanBench(SparkSession spark, Settings settings, Consumer<String> progress) {
    this.spark = io.deltasync.samples.LocalSpark.tune(spark);
    this.settings = settings;
    this.progress = progress;
  }

  public Result run() throws Exception {
    Path root = settings.dir().toAbsolutePath();
    BenchSupport.wipe(root, ".deltasync-bench");
    JobsApi api = new JobsApi(settings.latency());
    api.start();
    try {
      DeltaSyncConfig config = config(root, api.url());
      WorkspaceConfig ws = config.workspaces().get(0);
      Placement placement = Placement.of(ws);

      progress.accept("set up: one small Delta table, copied to " + settings.groups()
          * settings.tablesPerGroup() + " table folders");
      Path template = root.resolve("template");
      spark.range(0, 20).selectExpr("id", "CAST(id * 3 AS STRING) AS name")
          .write().format("delta").save(template.toString());
      spark.sql("INSERT INTO delta.`" + template + "` VALUES (100, 'x')");
      long version = 1;
      // Every copy keeps the template's log, so every table has the template's Delta id.
      String tableId = new SparkTableIds(spark).tableId(
          new TableLocation.Path(template.toUri().toString())).orElseThrow();
      for (SyncGroup g : ws.groups()) {
        for (TableMapping t : g.tables()) {
          copyTree(template, Path.of(((TableLocation.Path) placement.primary(t.source())).uri()));
        }
      }
      // Every table's commits are older than the run's end: the run is the synced one.
      Instant end = Instant.now().plusSeconds(1);
      Instant start = end.minusSeconds(120);
      for (int i = 0; i < settings.groups(); i++) {
        api.addJob(workflow(i), 1000L + i, 5_000_000L + i, start, end);
      }
      progress.accept("set up: the ledger holds a sync point per group (run end " + end + ")");
      // One Spark append for every group's sync point (the ledger's own append takes one sync
      // point at a time); the rows follow DeltaSyncLedger.SCHEMA, and the sender reads them back
      // through DeltaSyncLedger, which validates them.
      List<Row> rows = new ArrayList<>();
      Timestamp runEnd = new Timestamp(end.toEpochMilli());
      Timestamp recorded = Timestamp.from(Instant.now());
      for (int i = 0; i < ws.groups().size(); i++) {
        SyncGroup g = ws.groups().get(i);
        String syncId = UUID.randomUUID().toString();
        for (TableMapping t : g.tables()) {
          rows.add(RowFactory.create(LedgerRow.CURRENT_FORMAT, syncId, 1L, ws.name(), g.name(),
              t.source().toString(), t.secondary().toString(), 5_000_000L + i, runEnd, version,
              0L, null, SyncStatus.STAGED.name(), 2L, 2000L, 0L, 0L, 2000L, 2L, 10L, 1, null,
              recorded, 0L, "PRIMARY", tableId, null));
        }
      }
      spark.createDataFrame(rows, DeltaSyncLedger.SCHEMA).coalesce(1).write().format("delta")
          .mode("append").save(placement.ledger().uri());
      // As the sender job's maintenance leaves it after every cycle: the copy of the current rows.
      DeltaSyncLedger setupLedger = new DeltaSyncLedger(spark, placement.ledger().uri());
      setupLedger.writeCurrent(setupLedger.currentRows());
      api.resetCounts();

      AtomicLong historyReads = new AtomicLong();
      SparkTableHistory real = new SparkTableHistory(spark);
      TableHistory counting = table -> {
        historyReads.incrementAndGet();
        return real.commits(table);
      };
      CountingCloner cloner = new CountingCloner(new PortableCloner(spark));
      SecretProvider secrets = ref -> "dapi-bench-not-a-secret";
      AtomicLong idReads = new AtomicLong();
      SparkTableIds ids = new SparkTableIds(spark);
      AtomicLong ledgerNanos = new AtomicLong();
      Function<WorkspaceConfig, SyncLedger> ledgers = SyncWiring.ledgers(spark);
      // Tables are local folders (embedded mode), but runs come from the Jobs API, as on Databricks.
      Sender sender = SyncWiring.senderBuilder(spark, cloner, secrets)
          .runSources(w -> JobsApiRunSource.connect(w.url(), w.credentials(), secrets))
          .versions(SyncWiring.versions(counting))
          .tableIds(table -> {
            idReads.incrementAndGet();
            return ids.tableId(table);
          })
          .ledgers(w -> new TimedLedger(ledgers.apply(w), ledgerNanos))
          .build();
      progress.accept("sender cycle over " + settings.groups() + " groups...");
      long t0 = System.nanoTime();
      CycleResult result = sender.run(config, Sender.Request.all());
      Duration wall = Duration.ofNanos(System.nanoTime() - t0);
      int upToDate = (int) result.groups().stream()
          .filter(g -> g.status() == GroupStatus.UP_TO_DATE).count();
      result.groups().stream().filter(g -> g.status() != GroupStatus.UP_TO_DATE).limit(5)
          .forEach(g -> progress.accept("NOT up to date: " + g.group() + " " + g.status() + " "
              + g.error().orElse("")));
      return new Result(settings.groups(), settings.groups() * settings.tablesPerGroup(), upToDate,
          wall, api.counts(), historyReads.get(), cloner.calls.get(), settings.latency(),
          idReads.get(), Duration.ofNanos(ledgerNanos.get()), ws.parallelism().groups());
    } finally {
      api.stop();
    }
  }

  static String workflow(int i) {
    return String.format(Locale.ROOT, "bench_workflow_%03d", i);
  }

  private DeltaSyncConfig config(Path root, String url) throws IOException {
    StringBuilder groups = new StringBuilder();
    for (int i = 0; i < settings.groups(); i++) {
      if (i > 0) {
        groups.append(",\n");
      }
      groups.append("{\"group_name\": \"g").append(String.format(Locale.ROOT, "%03d", i))
          .append("\", \"group_owner_email\": \"bench@example.com\", \"workflow\": \"")
          .append(workflow(i)).append("\", \"tables\": [");
      for (int t = 0; t < settings.tablesPerGroup(); t++) {
        groups.append(t > 0 ? ", " : "").append(String.format(Locale.ROOT,
            "\"bench.g%03d.t%d\"", i, t));
      }
      groups.append("]}");
    }
    Path file = root.resolve("deltasync.json");
    Files.writeString(file, """
        {
          "secret_scope": "bench",
          "workspaces": [{
            "workspace_name": "bench",
            "workspace_instance_url": "%2$s",
            "workspace_pat_key": "pat",
            "local": {"primary_dir": "%1$s/primary", "secondary_dir": "%1$s/secondary"},
            "sync_location_primary": "%1$s/sync-primary",
            "sync_location_secondary": "%1$s/sync-secondary",
            "sync_interval_mins": 15,
            "sync_failover_interval_mins": 10,
            "sync_max_retries": 0,
            "sync_groups": [%3$s]
          }]
        }
        """.formatted(root, url, groups));
    return ConfigLoader.load(file);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /** Adds up the time spent reading the ledger. */
  static final class TimedLedger implements SyncLedger {
    private final SyncLedger delegate;
    private final AtomicLong nanos;

    TimedLedger(SyncLedger delegate, AtomicLong nanos) {
      this.delegate = delegate;
      this.nanos = nanos;
    }

    @Override
    public List<LedgerRow> read() {
      long started = System.nanoTime();
      try {
        return delegate.read();
      } finally {
        nanos.addAndGet(System.nanoTime() - started);
      }
    }

    @Override
    public LedgerState current(String workspace) {
      long started = System.nanoTime();
      try {
        return delegate.current(workspace);
      } finally {
        nanos.addAndGet(System.nanoTime() - started);
      }
    }

    @Override
    public AppendOutcome append(List<LedgerRow> rows, Optional<LedgerTxn> txn) {
      return delegate.append(rows, txn);
    }

    @Override
    public String location() {
      return delegate.location();
    }
  }

  /** Counts every cloner call: each one reads a Delta log. */
  static final class CountingCloner implements TableCloner {
    final AtomicLong calls = new AtomicLong();
    private final TableCloner delegate;

    CountingCloner(TableCloner delegate) {
      this.delegate = delegate;
    }

    @Override
    public CloneResult clone(TableLocation source, long version, TableLocation target,
        CloneOptions options) {
      calls.incrementAndGet();
      return delegate.clone(source, version, target, options);
    }

    @Override
    public long latestVersion(TableLocation table) {
      calls.incrementAndGet();
      return delegate.latestVersion(table);
    }

    @Override
    public OptionalLong clonedVersion(TableLocation source, TableLocation target) {
      calls.incrementAndGet();
      return delegate.clonedVersion(source, target);
    }
  }

  /** A Jobs API 2.2 of a few endpoints, slowed by a fixed latency, counting calls per path. */
  static final class JobsApi {
    private final Duration latency;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, Long> jobIds = new ConcurrentHashMap<>();
    private final Map<Long, String> runsJson = new ConcurrentHashMap<>();
    private HttpServer server;

    JobsApi(Duration latency) {
      this.latency = latency;
    }

    void addJob(String name, long jobId, long runId, Instant start, Instant end) {
      jobIds.put(name, jobId);
      runsJson.put(jobId, "{\"runs\":[{\"job_id\":" + jobId + ",\"run_id\":" + runId
          + ",\"start_time\":" + start.toEpochMilli() + ",\"end_time\":" + end.toEpochMilli()
          + ",\"state\":{\"life_cycle_state\":\"TERMINATED\",\"result_state\":\"SUCCESS\"}}],"
          + "\"has_more\":false}");
    }

    void start() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      // As a workspace's API does, it answers many callers at once.
      server.setExecutor(Executors.newFixedThreadPool(32, r -> {
        Thread t = new Thread(r, "bench-jobs-api");
        t.setDaemon(true);
        return t;
      }));
      server.createContext("/", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void stop() {
      if (server != null) {
        server.stop(0);
      }
    }

    void resetCounts() {
      counts.clear();
    }

    Map<String, Long> counts() {
      Map<String, Long> out = new TreeMap<>();
      counts.forEach((k, v) -> out.put(k, v.get()));
      return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
      String path = exchange.getRequestURI().getPath();
      counts.computeIfAbsent(path, k -> new AtomicLong()).incrementAndGet();
      try {
        Thread.sleep(latency.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Map<String, String> query = query(exchange.getRequestURI());
      int status = 200;
      String body;
      if (path.equals("/.well-known/databricks-config")) {
        body = "{}";
      } else if (path.equals(LIST_JOBS)) {
        Long id = jobIds.get(query.getOrDefault("name", ""));
        body = id == null ? "{\"jobs\":[],\"has_more\":false}"
            : "{\"jobs\":[{\"job_id\":" + id + ",\"settings\":{\"name\":\""
                + query.get("name") + "\"}}],\"has_more\":false}";
      } else if (path.equals(LIST_RUNS)) {
        String runs = runsJson.get(Long.parseLong(query.getOrDefault("job_id", "-1")));
        body = runs == null ? "{\"runs\":[],\"has_more\":false}" : runs;
      } else {
        status = 404;
        body = "{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":\"no " + path + "\"}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }

    private static Map<String, String> query(URI uri) {
      Map<String, String> out = new LinkedHashMap<>();
      String raw = uri.getRawQuery();
      if (raw == null) {
        return out;
      }
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      return out;
    }
  }
}
