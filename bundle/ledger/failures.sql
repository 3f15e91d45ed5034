-- Failures, newest first. One row per table that failed to stage (send) or to apply (receive), or
-- whose staging files the receiver found missing (STAGING_DAMAGED). The receiver records its
-- failures under the sync id of the sync point it tried to apply.
WITH staged AS (
  SELECT DISTINCT sync_id FROM deltasync.ledger WHERE status = 'STAGED'
)
SELECT f.recorded_at, f.workspace, f.group_name, f.table_name,
       CASE WHEN s.sync_id IS NULL THEN 'send' ELSE 'receive' END AS step,
       f.status, f.sequence, f.epoch, f.attempt, f.error
FROM deltasync.ledger f
LEFT JOIN staged s ON f.sync_id = s.sync_id
WHERE f.status IN ('FAILED', 'STAGING_DAMAGED')
ORDER BY f.recorded_at DESC, f.workspace, f.group_name, f.table_name
