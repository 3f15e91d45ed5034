package io.deltasync.sync;

import io.deltasync.errors.SyncErrors;
import io.deltasync.errors.SyncException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * One group's time limit in one cycle, and the threads working for the group.
 *
 * <p>When the limit passes while the group is still working, the group is marked timed out and
 * every thread working for it is interrupted: a running clone stops (its copies are written under
 * temporary names and renamed only when whole, so nothing half-written is visible; files already
 * copied are kept and not copied again by the next cycle). From then on {@link #check} throws, so
 * the group records nothing as synced.
 *
 * <p>Once the group has begun its one ledger commit ({@link #beginCommit}) the limit no longer
 * applies: interrupting an atomic commit could only turn a known outcome into an unknown one.
 */
final class GroupDeadline {

  private enum Phase {
    WORKING,
    COMMITTING,
    TIMED_OUT
  }

  private final String step;
  private final String workspace;
  private final String group;
  private final Duration limit;
  private final Set<Thread> workers = new HashSet<>();
  private Phase phase = Phase.WORKING;

  GroupDeadline(String step, String workspace, String group, Duration limit) {
    this.step = step;
    this.workspace = workspace;
    this.group = group;
    this.limit = limit;
  }

  /** The current thread works for the group from now on (until {@link #leave}). */
  synchronized void enter() {
    check();
    workers.add(Thread.currentThread());
  }

  /**
   * The current thread no longer works for the group; it is never interrupted for it again, and an
   * interrupt the group's time limit left pending is cleared.
   */
  synchronized void leave() {
    workers.remove(Thread.currentThread());
    if (phase == Phase.TIMED_OUT) {
      Thread.interrupted();
    }
  }

  /** The limit has passed: unless the group is committing, it is stopped. */
  synchronized void expire() {
    if (phase != Phase.WORKING) {
      return;
    }
    phase = Phase.TIMED_OUT;
    workers.forEach(Thread::interrupt);
  }

  /** Throws {@link TimedOut} once the limit has stopped the group. */
  synchronized void check() {
    if (phase == Phase.TIMED_OUT) {
      throw new TimedOut(SyncErrors.groupTimedOut(step, workspace, group, limit));
    }
  }

  /** The group's commit begins: the limit no longer applies. Throws when it already stopped it. */
  synchronized void beginCommit() {
    check();
    phase = Phase.COMMITTING;
  }

  /** As {@link #beginCommit}, but false instead of throwing when the limit stopped the group. */
  synchronized boolean commitUnlessTimedOut() {
    if (phase == Phase.TIMED_OUT) {
      return false;
    }
    phase = Phase.COMMITTING;
    return true;
  }

  synchronized boolean timedOut() {
    return phase == Phase.TIMED_OUT;
  }

  /** Why the group stopped, as recorded in its TIMED_OUT rows and its outcome. */
  String describe() {
    return SyncErrors.groupTimedOut(step, workspace, group, limit).getMessage();
  }

  /** Thrown where a timed-out group's work stops. */
  static final class TimedOut extends RuntimeException {
    TimedOut(SyncException why) {
      super(why.getMessage(), why);
    }
  }
}
