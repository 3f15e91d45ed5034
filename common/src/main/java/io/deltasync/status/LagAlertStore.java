package io.deltasync.status;

import io.deltasync.config.WorkspaceConfig;

/**
 * Where {@link LagAlerts} keeps each workspace's {@link LagAlertState} between status runs.
 *
 * <p>Contract, for every implementation:
 *
 * <ul>
 *   <li><b>Read before deciding.</b> {@link #read} returns the whole state last written, or {@link
 *       LagAlertState#empty()} when none was ever written. A state it cannot read (unreadable file,
 *       unknown or newer format) is an error, never an empty state: an empty one would repeat
 *       every open alert.
 *   <li><b>Atomic.</b> {@link #write} replaces the state whole; a reader sees the old state or the
 *       new one, never a mix or a partial file. A failed write leaves the old state.
 *   <li><b>Last writer wins.</b> Two status jobs writing at once (one per region) are not
 *       serialized: one of them may send an alert the other already sent. Alerts are best effort.
 * </ul>
 */
public interface LagAlertStore {

  /**
   * @throws io.deltasync.errors.SyncException when the state exists but cannot be read
   */
  LagAlertState read(WorkspaceConfig workspace);

  /**
   * @throws io.deltasync.errors.SyncException when the state could not be written
   */
  void write(WorkspaceConfig workspace, LagAlertState state);
}
