-- Lag per group over time. One row per sync point the secondary applied: how old the state it
-- brought was when the receiver applied it, from the end of the workflow run it holds (a standalone
-- group: from when the sender staged it).
WITH applied AS (
  SELECT workspace, group_name, sync_id, max(sequence) AS sequence, max(run_id) AS run_id,
         max(run_end_time) AS run_end_time, max(recorded_at) AS applied_at
  FROM deltasync.ledger
  WHERE status = 'APPLIED'
  GROUP BY workspace, group_name, sync_id
),
staged AS (
  SELECT sync_id, min(recorded_at) AS staged_at
  FROM deltasync.ledger
  WHERE status = 'STAGED'
  GROUP BY sync_id
)
SELECT a.workspace, a.group_name, a.sequence, a.run_id, a.applied_at,
       timestampdiff(SECOND, coalesce(a.run_end_time, s.staged_at), a.applied_at) AS lag_seconds,
       round(timestampdiff(SECOND, coalesce(a.run_end_time, s.staged_at), a.applied_at) / 60.0, 1)
         AS lag_minutes
FROM applied a
LEFT JOIN staged s ON a.sync_id = s.sync_id
ORDER BY a.workspace, a.group_name, a.applied_at
