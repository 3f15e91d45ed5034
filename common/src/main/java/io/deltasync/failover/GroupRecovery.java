package io.deltasync.failover;

import java.util.Objects;
import java.util.Optional;

/**
 * What failover did for one group, and the point in time it recovered to.
 *
 * @param workspace the workspace
 * @param group the group
 * @param workflow its workflow; empty for standalone groups
 * @param status promoted or not
 * @param reason why not, when not promoted
 * @param rolledForward the sync point sequence failover applied (roll forward), when it applied one
 * @param point the state the secondary tables hold; empty when they hold none
 * @param rpo the data lost relative to the primary's last known state
 */
public record GroupRecovery(
    String workspace, String group, Optional<String> workflow, Status status, Optional<String> reason,
    java.util.OptionalLong rolledForward, Optional<RecoveryPoint> point, Optional<Rpo> rpo) {

  public enum Status {
    /** At one complete sync point; its workflow was unpaused in the secondary. */
    PROMOTED,
    /** Left paused; {@link #reason()} says why. */
    NOT_PROMOTED
  }

  public GroupRecovery {
    Objects.requireNonNull(status, "status");
    if (status == Status.NOT_PROMOTED && reason.isEmpty()) {
      throw new IllegalArgumentException("a group not promoted needs a reason: " + group);
    }
  }

  public boolean promoted() {
    return status == Status.PROMOTED;
  }
}
