-- What one Hood PATCH /v1/hood/partners/{id} asks of PostgreSQL (see services/hood_partners.patch):
-- lock and read the row, update it, append the history row, in one transaction.
\set id random(:minid, :maxid)
BEGIN;
SELECT * FROM hood_partners WHERE account_id = :acct AND id = :id FOR UPDATE;
UPDATE hood_partners SET description = 'pgbench ' || random(), version = version + 1, update_time = now() WHERE account_id = :acct AND id = :id;
INSERT INTO history (account_id, object_type, object_id, version, action, surface, token_id, changed_at, changes) VALUES (:acct, 'hood.partner', :id, 2, 'update', 'hood', NULL, now(), '{"description": ["old", "new"]}');
COMMIT;
