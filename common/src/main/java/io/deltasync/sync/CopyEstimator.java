package io.deltasync.sync;

import io.deltasync.table.TableLocation;
import java.util.OptionalLong;

/** For dry runs: how many bytes cloning a version into a target would copy, when cheap to know. */
@FunctionalInterface
public interface CopyEstimator {

  /** Bytes to copy, or empty when unknown. */
  OptionalLong bytesToCopy(TableLocation source, long version, TableLocation target);

  static CopyEstimator unknown() {
    return (source, version, target) -> OptionalLong.empty();
  }
}
