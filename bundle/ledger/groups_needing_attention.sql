-- Groups needing attention (the SQL alert's query). One row per group that
--   * lags: the oldest sync point staged in the current epoch and not yet applied holds a state
--     (its run's end; a standalone group: when it was staged) more than lag_alert_mins minutes
--     old (the named parameter: the bundle variable lag_alert_mins in the alert, a parameter of
--     the dashboard; both default to 120, as the config's lag_alert_mins), or
--   * fails: its newest failure is newer than its newest recorded sync point (staged or applied).
-- The ledger alone cannot see runs the sender never staged: the status job's LAG alert measures
-- those (docs/status.md).
WITH epochs AS (
  SELECT workspace, max(epoch) AS epoch
  FROM deltasync.ledger
  WHERE status = 'EPOCH'
  GROUP BY workspace
),
staged AS (
  SELECT workspace, group_name, sequence, max(epoch) AS epoch, min(recorded_at) AS staged_at,
         max(run_end_time) AS run_end_time
  FROM deltasync.ledger
  WHERE status = 'STAGED'
  GROUP BY workspace, group_name, sequence
),
applied AS (
  SELECT workspace, group_name, max(sequence) AS sequence
  FROM deltasync.ledger
  WHERE status = 'APPLIED'
  GROUP BY workspace, group_name
),
waiting AS (
  SELECT s.workspace, s.group_name, count(*) AS sync_points_waiting,
         min(coalesce(s.run_end_time, s.staged_at)) AS oldest_state_at
  FROM staged s
  LEFT JOIN applied a ON s.workspace = a.workspace AND s.group_name = a.group_name
  LEFT JOIN epochs e ON s.workspace = e.workspace
  WHERE s.sequence > coalesce(a.sequence, 0) AND s.epoch >= coalesce(e.epoch, 0)
  GROUP BY s.workspace, s.group_name
),
outcomes AS (
  SELECT workspace, group_name,
         max(CASE WHEN status IN ('STAGED', 'APPLIED') THEN recorded_at END) AS last_success_at,
         max(CASE WHEN status IN ('FAILED', 'STAGING_DAMAGED') THEN recorded_at END) AS last_failure_at
  FROM deltasync.ledger
  WHERE status <> 'EPOCH'
  GROUP BY workspace, group_name
),
checked AS (
  SELECT o.workspace, o.group_name,
         timestampdiff(MINUTE, w.oldest_state_at, current_timestamp()) AS staleness_minutes,
         coalesce(w.sync_points_waiting, 0) AS sync_points_waiting,
         o.last_failure_at,
         o.last_failure_at IS NOT NULL
           AND (o.last_success_at IS NULL OR o.last_failure_at > o.last_success_at) AS failing
  FROM outcomes o
  LEFT JOIN waiting w ON o.workspace = w.workspace AND o.group_name = w.group_name
)
SELECT workspace, group_name, staleness_minutes, sync_points_waiting, failing, last_failure_at
FROM checked
WHERE staleness_minutes > :lag_alert_mins OR failing
ORDER BY workspace, group_name
