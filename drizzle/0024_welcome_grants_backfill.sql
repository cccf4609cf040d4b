-- welcome_grants (src/services/accounts/welcome.ts) for the accounts that received their
-- welcome credits before the table existed: the SHA-256 (hex) of the address as stored
-- (normalized: NFKC, trimmed, lower-case). The app folds "+tags" and Gmail dots
-- (WELCOME_CREDITS_PLUS_TAG_DOMAINS, WELCOME_CREDITS_DOTLESS_DOMAINS) before hashing;
-- SQL cannot read those settings, so an earlier account whose stored address has a tag or
-- dots at such a domain is recorded under that form only. Deleted accounts
-- (deleted-<uuid>@invalid) have no address left to record.
INSERT INTO "welcome_grants" ("address_hash", "user_uuid")
SELECT encode(sha256(convert_to(u."email", 'UTF8')), 'hex'), u."uuid"
FROM "users" u
WHERE u."email" NOT LIKE 'deleted-%@invalid'
  AND EXISTS (SELECT 1 FROM "credits" c WHERE c."trans_no" = 'new_user:' || u."uuid")
ON CONFLICT ("address_hash") DO NOTHING;
