-- What one Hood GET /v1/hood/partners/{id} asks of PostgreSQL (see services/hood_partners.get):
-- the partner row and its contacts, in one read transaction.
\set id random(:minid, :maxid)
BEGIN;
SELECT * FROM hood_partners WHERE account_id = :acct AND id = :id;
SELECT * FROM hood_partner_contacts WHERE account_id = :acct AND partner_id = :id ORDER BY seq;
COMMIT;
