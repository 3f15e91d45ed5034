package io.deltasync.sync;

/**
 * Told about every group's outcome as soon as the group is done (the hook notifications use). A
 * listener that throws is logged and ignored: a notification never fails a sync.
 */
@FunctionalInterface
public interface GroupListener {

  void groupFinished(GroupOutcome outcome);

  static GroupListener none() {
    return outcome -> {};
  }
}
