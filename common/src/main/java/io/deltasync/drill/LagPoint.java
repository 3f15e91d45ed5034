package io.deltasync.drill;

import io.deltasync.ledger.LedgerRow;
import io.deltasync.ledger.SyncStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One point of a group's lag timeline: a sync point the secondary applied, and how old the state it
 * brought was then (from the end of its run; a standalone group: from when it was staged), as the
 * dashboard's {@code lag_per_group.sql} computes it.
 *
 * @param sequence the sync point
 * @param appliedAt when the receiver (or failover) applied it
 * @param lag {@code appliedAt} minus the end of the run it holds
 */
public record LagPoint(long sequence, Instant appliedAt, Duration lag) {

  public LagPoint {
    Objects.requireNonNull(appliedAt, "appliedAt");
    Objects.requireNonNull(lag, "lag");
  }

  /** Each group's lag timeline in {@code workspace}, from its ledger rows, groups by name. */
  public static Map<String, List<LagPoint>> fromLedger(List<LedgerRow> rows, String workspace) {
    Map<String, Instant> stagedAt = new LinkedHashMap<>();
    Map<String, Map<String, LedgerRow>> applied = new TreeMap<>();
    for (LedgerRow row : rows) {
      if (!row.workspace().equals(workspace)) {
        continue;
      }
      if (row.status() == SyncStatus.STAGED) {
        stagedAt.merge(row.syncId(), row.recordedAt(), (a, b) -> a.isBefore(b) ? a : b);
      } else if (row.status() == SyncStatus.APPLIED) {
        applied.computeIfAbsent(row.groupName(), g -> new LinkedHashMap<>())
            .merge(row.syncId(), row, (a, b) -> a.recordedAt().isAfter(b.recordedAt()) ? a : b);
      }
    }
    Map<String, List<LagPoint>> out = new TreeMap<>();
    applied.forEach((group, points) -> {
      List<LagPoint> line = new ArrayList<>();
      for (LedgerRow row : points.values()) {
        Instant state = row.runEndTime().orElse(stagedAt.get(row.syncId()));
        if (state != null) {
          line.add(new LagPoint(row.sequence(), row.recordedAt(),
              Duration.between(state, row.recordedAt())));
        }
      }
      line.sort(Comparator.comparing(LagPoint::appliedAt));
      out.put(group, List.copyOf(line));
    });
    return out;
  }
}
