package io.deltasync.sync;

import io.deltasync.config.Parallelism;
import io.deltasync.config.SyncGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one workspace's groups in a sender or receiver cycle: up to {@code sync_parallel_groups}
 * groups at once, each under its time limit ({@code group_timeout_mins}, a {@link GroupDeadline}),
 * and inside a group up to {@code sync_parallel_tables} tables at once.
 *
 * <p>Groups are independent: each records its own ledger commit (Delta appends of different
 * groups do not conflict), so one slow or stopped group never holds the others back. Every task
 * is waited for before a call returns, so no clone runs on after a group's outcome is reported.
 */
final class GroupPool {

  /** One group's step; returns its outcome and never throws for a failed group. */
  @FunctionalInterface
  interface GroupStep {
    GroupOutcome run(SyncGroup group, GroupDeadline deadline);
  }

  private final GroupOutcome.Step step;
  private final String workspace;
  private final Parallelism parallelism;
  private final GroupTimer timer;

  GroupPool(GroupOutcome.Step step, String workspace, Parallelism parallelism, GroupTimer timer) {
    this.step = step;
    this.workspace = workspace;
    this.parallelism = parallelism;
    this.timer = timer;
  }

  /** Every group's outcome, in the order of {@code groups}. */
  List<GroupOutcome> run(List<SyncGroup> groups, GroupStep body) {
    List<Callable<GroupOutcome>> tasks = new ArrayList<>();
    for (SyncGroup group : groups) {
      tasks.add(() -> {
        GroupDeadline deadline = new GroupDeadline(
            step == GroupOutcome.Step.SEND ? "Sending" : "Receiving", workspace, group.name(),
            parallelism.groupTimeout());
        deadline.enter();
        try (GroupTimer.Started limit = timer.start(workspace, group.name(),
            parallelism.groupTimeout(), deadline::expire)) {
          return body.run(group, deadline);
        } finally {
          deadline.leave();
        }
      });
    }
    return all(tasks, parallelism.groups(), "deltasync-" + step.name().toLowerCase(java.util.Locale.ROOT)
        + "-" + workspace);
  }

  /**
   * Runs one task per table of a group, up to {@code sync_parallel_tables} at once, each working
   * for the group's {@code deadline} (interrupted when it expires); their results in order. Waits
   * for every task, even after the deadline interrupted the waiting thread. When tasks threw, the
   * first one's exception is thrown once all are done.
   */
  <T> List<T> eachTable(GroupDeadline deadline, List<Callable<T>> tasks) {
    List<Callable<T>> working = new ArrayList<>();
    for (Callable<T> task : tasks) {
      working.add(() -> {
        deadline.enter();
        try {
          return task.call();
        } finally {
          deadline.leave();
        }
      });
    }
    if (parallelism.tables() == 1 || tasks.size() <= 1) {
      // One at a time, on the group's own thread (already working for the group).
      List<T> results = new ArrayList<>();
      for (Callable<T> task : tasks) {
        deadline.check();
        results.add(call(task));
      }
      return results;
    }
    return all(working, parallelism.tables(), "deltasync-table");
  }

  private static <T> T call(Callable<T> task) {
    try {
      return task.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code tasks} on up to {@code threads} threads; results in order, once all are done. */
  private static <T> List<T> all(List<Callable<T>> tasks, int threads, String name) {
    if (threads == 1 || tasks.size() <= 1) {
      // One at a time: on the calling thread, as a loop would.
      List<T> results = new ArrayList<>();
      for (Callable<T> task : tasks) {
        results.add(call(task));
      }
      return results;
    }
    AtomicInteger created = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()), r -> {
      Thread thread = new Thread(r, name + "-" + created.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      Throwable first = null;
      boolean interrupted = false;
      for (Future<T> future : futures) {
        while (true) {
          try {
            results.add(future.get());
            break;
          } catch (InterruptedException e) {
            interrupted = true; // a time limit: the tasks stop on their own; wait for them
          } catch (ExecutionException e) {
            if (first == null) {
              first = e.getCause();
            }
            results.add(null);
            break;
          }
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (first instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (first instanceof Error error) {
        throw error;
      }
      if (first != null) {
        throw new IllegalStateException(first);
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }
}
