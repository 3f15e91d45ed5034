-- Bytes per day. What the clones copied into the other region's staging (send) and into the
-- secondary tables (receive), per UTC day, counting the sync points that were recorded.
SELECT CAST(recorded_at AS DATE) AS day, workspace,
       CASE WHEN status = 'STAGED' THEN 'send' ELSE 'receive' END AS step,
       sum(copied_files_size) AS bytes, sum(num_copied_files) AS files,
       count(DISTINCT sync_id) AS sync_points
FROM deltasync.ledger
WHERE status IN ('STAGED', 'APPLIED')
GROUP BY CAST(recorded_at AS DATE), workspace, CASE WHEN status = 'STAGED' THEN 'send' ELSE 'receive' END
ORDER BY day, workspace, step DESC
