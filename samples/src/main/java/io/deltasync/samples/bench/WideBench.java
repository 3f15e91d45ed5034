package io.deltasync.samples.bench;

import io.deltasync.clone.CloneOptions;
import io.deltasync.clone.CloneResult;
import io.deltasync.spark.PortableCloner;
import io.deltasync.table.TableLocation;
import java.io.BufferedWriter;
import java.io.IOException;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;

/**
 * The wide-table benchmark: a synthetic Delta table of {@code files} tiny data files (default
 * 1,000,000; its log and a checkpoint written directly, every data file the same 1-row Parquet
 * file), cloned by the portable cloner three times: the first clone, a re-clone after 1% of the
 * files were replaced, and a re-clone with no change. Each phase reports its wall time and the
 * JVM's peak live heap during it ({@link #measure}; in local mode it includes Spark's tasks,
 * which run in this JVM).
 *
 * <p>Targets: peak live heap at most 1 GiB for the 1% and no-change re-clones; the first clone
 * completes (run it with {@code DELTASYNC_JAVA_OPTS=-Xmx2g}).
 */
public final class WideBench {

  /** The 1% and no-change re-clones must stay under this heap. */
  static final long HEAP_TARGET_BYTES = 1L << 30;
  private static final int FILES_PER_FOLDER = 1_000;

  /** The benchmark's settings. */
  public record Settings(Path dir, int files, boolean localCluster) {
    public static Settings defaults(Path dir) {
      return new Settings(dir, 1_000_000, true);
    }
  }

  /** One phase's figures. */
  record Phase(String name, long millis, long peakHeapBytes, long copiedFiles, long removedFiles) {}

  /** The figures, as lines and as JSON, and whether the targets were met. */
  public record Result(List<String> lines, Map<String, Object> json, boolean pass) {}

  private final SparkSession spark;
  private final Settings settings;
  private final Consumer<String> progress;

  public WideBench(SparkSession spark, Settings settings, Consumer<String> progress) {
    this.spark = spark;
    this.settings = settings;
    this.progress = progress;
  }

  public Result run() throws IOException {
    Path work = settings.dir().toAbsolutePath().normalize();
    BenchSupport.deleteTree(work);
    Files.createDirectories(work);
    Path source = work.resolve("source");
    Path target = work.resolve("target");
    long buildStart = System.nanoTime();
    byte[] data = tinyParquetFile(work.resolve("tiny"));
    writeTable(source, data);
    progress.accept(String.format(Locale.ROOT, "table of %,d files written in %d s",
        settings.files(), (System.nanoTime() - buildStart) / 1_000_000_000L));

    PortableCloner cloner = new PortableCloner(spark);
    TableLocation from = TableLocation.path(source.toString());
    TableLocation to = TableLocation.path(target.toString());
    List<Phase> phases = new ArrayList<>();
    phases.add(measure("first clone", () -> cloner.clone(from, 0, to, CloneOptions.defaults())));
    progress.accept("first clone done");
    replaceOnePercent(source, data);
    phases.add(measure("1% changed re-clone",
        () -> cloner.clone(from, 1, to, CloneOptions.defaults())));
    progress.accept("1% re-clone done");
    phases.add(measure("no-change re-clone",
        () -> cloner.clone(from, 1, to, CloneOptions.defaults())));

    boolean pass = phases.get(1).peakHeapBytes() <= HEAP_TARGET_BYTES
        && phases.get(2).peakHeapBytes() <= HEAP_TARGET_BYTES;
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "wide bench: %,d files, max heap %d MiB, %s",
        settings.files(), Runtime.getRuntime().maxMemory() >> 20, settings.localCluster()
            ? "executors in JVMs of their own (the heap is the driver's)"
            : "local mode (the heap holds the driver and the executors' tasks)"));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("files", settings.files());
    json.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
    json.put("local_cluster", settings.localCluster());
    for (Phase phase : phases) {
      lines.add(String.format(Locale.ROOT,
          "  %-22s %9d ms  peak live heap %6d MiB  %,d files copied, %,d removed%s", phase.name(),
          phase.millis(), phase.peakHeapBytes() >> 20, phase.copiedFiles(), phase.removedFiles(),
          phase == phases.get(0) ? " (target: completes)" : " (target <= 1024 MiB)"));
      String key = phase.name().replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
      json.put(key + "_ms", phase.millis());
      json.put(key + "_peak_live_heap_mib", phase.peakHeapBytes() >> 20);
    }
    json.put("meets_targets", pass);
    lines.add(pass ? "  all targets met" : "  a target was missed");
    return new Result(lines, json, pass);
  }

  private interface Clone {
    CloneResult run();
  }

  /**
   * Runs one clone and measures its peak live heap: the largest heap in use right after any
   * garbage collection during the phase (from the collectors' notifications), which is what the
   * phase needs the heap to hold. The sum of the pools' peaks, measured before, adds peaks of
   * different moments and garbage not yet collected, and exceeded {@code -Xmx} itself.
   */
  private static Phase measure(String name, Clone clone) {
    System.gc();
    AtomicLong peak = new AtomicLong(heapUsed());
    List<NotificationEmitter> emitters = new ArrayList<>();
    NotificationListener listener = (notification, handback) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
          .equals(notification.getType())) {
        GcInfo gc = GarbageCollectionNotificationInfo
            .from((CompositeData) notification.getUserData()).getGcInfo();
        long after = 0;
        for (Map.Entry<String, MemoryUsage> pool : gc.getMemoryUsageAfterGc().entrySet()) {
          if (HEAP_POOLS.contains(pool.getKey())) {
            after += pool.getValue().getUsed();
          }
        }
        peak.accumulateAndGet(after, Math::max);
      }
    };
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
    try {
      long start = System.nanoTime();
      CloneResult result = clone.run();
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.gc(); // what the phase still holds at its end counts too
      return new Phase(name, millis, peak.get(), result.numCopiedFiles(),
          result.numRemovedFiles());
    } finally {
      for (NotificationEmitter emitter : emitters) {
        try {
          emitter.removeNotificationListener(listener);
        } catch (ListenerNotFoundException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private static final Set<String> HEAP_POOLS = heapPools();

  private static Set<String> heapPools() {
    Set<String> names = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        names.add(pool.getName());
      }
    }
    return Set.copyOf(names);
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The bytes of a Parquet file of one row, one BIGINT column {@code id}. */
  private byte[] tinyParquetFile(Path dir) throws IOException {
    spark.range(1).coalesce(1).write().parquet(dir.toString());
    try (Stream<Path> files = Files.list(dir)) {
      Path file = files.filter(path -> path.getFileName().toString().endsWith(".parquet"))
          .findFirst().orElseThrow();
      return Files.readAllBytes(file);
    }
  }

  /**
   * Version 0 adds every file (1,000 per folder), with a checkpoint; the data files are copies
   * of one tiny Parquet file.
   */
  private void writeTable(Path root, byte[] data) throws IOException {
    Path log = root.resolve("_delta_log");
    Files.createDirectories(log);
    long now = System.currentTimeMillis();
    try (BufferedWriter out = Files.newBufferedWriter(log.resolve(commitName(0)),
        StandardCharsets.UTF_8)) {
      out.write("{\"commitInfo\":{\"timestamp\":" + now + ",\"operation\":\"WRITE\","
          + "\"operationParameters\":{\"mode\":\"Append\"},\"isBlindAppend\":true,"
          + "\"txnId\":\"" + UUID.randomUUID() + "\"}}\n");
      out.write("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n");
      out.write("{\"metaData\":{\"id\":\"" + UUID.randomUUID() + "\",\"format\":{\"provider\":"
          + "\"parquet\",\"options\":{}},\"schemaString\":\"{\\\"type\\\":\\\"struct\\\","
          + "\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\","
          + "\\\"nullable\\\":false,\\\"metadata\\\":{}}]}\",\"partitionColumns\":[],"
          + "\"configuration\":{},\"createdTime\":" + now + "}}\n");
      for (int i = 0; i < settings.files(); i++) {
        String path = dataPath(i, "");
        writeData(root.resolve(path), data);
        out.write(add(path, data.length, now));
      }
    }
    DeltaLog.forTable(spark, root.toString()).checkpoint();
  }

  /** Version 1 removes the first 1% of the files and adds as many new ones. */
  private void replaceOnePercent(Path root, byte[] data) throws IOException {
    int changed = Math.max(1, settings.files() / 100);
    long now = System.currentTimeMillis();
    try (BufferedWriter out = Files.newBufferedWriter(
        root.resolve("_delta_log").resolve(commitName(1)), StandardCharsets.UTF_8)) {
      out.write("{\"commitInfo\":{\"timestamp\":" + now + ",\"operation\":\"WRITE\","
          + "\"operationParameters\":{\"mode\":\"Overwrite\"},\"txnId\":\""
          + UUID.randomUUID() + "\"}}\n");
      for (int i = 0; i < changed; i++) {
        out.write("{\"remove\":{\"path\":\"" + dataPath(i, "") + "\",\"deletionTimestamp\":"
            + now + ",\"dataChange\":true,\"extendedFileMetadata\":true,\"partitionValues\":{},"
            + "\"size\":" + data.length + "}}\n");
        String path = dataPath(i, "v1-");
        writeData(root.resolve(path), data);
        out.write(add(path, data.length, now));
      }
    }
  }

  private static String add(String path, long size, long time) {
    return "{\"add\":{\"path\":\"" + path + "\",\"partitionValues\":{},\"size\":" + size
        + ",\"modificationTime\":" + time + ",\"dataChange\":true,"
        + "\"stats\":\"{\\\"numRecords\\\":1}\"}}\n";
  }

  private static String dataPath(int i, String prefix) {
    return String.format(Locale.ROOT, "f%04d/%spart-%07d.parquet", i / FILES_PER_FOLDER, prefix,
        i);
  }

  private static void writeData(Path file, byte[] data) throws IOException {
    try {
      Files.write(file, data);
    } catch (java.nio.file.NoSuchFileException e) {
      Files.createDirectories(file.getParent());
      Files.write(file, data);
    }
  }

  private static String commitName(long version) {
    return String.format(Locale.ROOT, "%020d.json", version);
  }
}
