-- Epochs: every role change failover and failback recorded, per workspace. Epoch 0 (the primary
-- active) has no record.
SELECT workspace, epoch, source_region AS active_region, min(recorded_at) AS changed_at,
       max(changed_by) AS changed_by, count(DISTINCT group_name) AS groups
FROM deltasync.ledger
WHERE status = 'EPOCH'
GROUP BY workspace, epoch, source_region
ORDER BY workspace, epoch
