package io.deltasync.sync;

import io.deltasync.runs.RunSource;
import io.deltasync.runs.WorkflowRun;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cycle's workflow runs, asked of the {@link RunSource} as soon as the ledger is read, up to
 * {@link #AT_ONCE} workflows at once, while the groups are planned {@code sync_parallel_groups} at
 * a time. A Jobs API call waits on the network, not on the driver, so planning 200 groups costs
 * about 200 calls' latency divided by {@link #AT_ONCE}, not by the number of groups at once.
 *
 * <p>Each workflow's runs are asked for once, with the same arguments a group would pass; a group
 * takes its answer (or its error, thrown as the source threw it) when it gets there. A group asking
 * for what was not prefetched asks the source itself. {@link #close} stops what nobody took.
 */
final class RunPrefetch implements RunSource, AutoCloseable {

  /** Jobs API calls at once: well under the Jobs API's rate limits at its usual latency. */
  static final int AT_ONCE = 8;

  private final RunSource source;
  private final Map<Request, CompletableFuture<List<WorkflowRun>>> pending = new ConcurrentHashMap<>();
  private final ExecutorService pool;

  /** One workflow's runs as a group asks for them: {@link #runs}'s arguments. */
  record Request(String workflow, OptionalLong notBefore) {}

  /** Starts asking {@code source} for the runs of each of {@code requests}. */
  RunPrefetch(RunSource source, Collection<Request> requests, String name) {
    this.source = Objects.requireNonNull(source, "source");
    AtomicInteger created = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(Math.max(1, Math.min(AT_ONCE, requests.size())), r -> {
      Thread thread = new Thread(r, name + "-runs-" + created.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    for (Request request : requests) {
      pending.computeIfAbsent(request, r -> CompletableFuture.supplyAsync(
          () -> source.runs(r.workflow(), r.notBefore()), pool));
    }
  }

  @Override
  public List<WorkflowRun> runs(String workflow, OptionalLong notBeforeRunId) {
    CompletableFuture<List<WorkflowRun>> future = pending.remove(new Request(workflow, notBeforeRunId));
    if (future == null) {
      return source.runs(workflow, notBeforeRunId);
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the runs of workflow " + workflow,
          e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    pending.values().forEach(f -> f.cancel(true));
    pool.shutdownNow();
  }
}
