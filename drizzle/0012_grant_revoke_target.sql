ALTER TABLE "credit_grants" ADD COLUMN "revoke_target" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "credit_grants" ADD COLUMN "revoke_type" text;--> statement-breakpoint
ALTER TABLE "credit_grants" ADD CONSTRAINT "credit_grants_revoke_target_range" CHECK ("credit_grants"."revoke_target" >= 0 AND "credit_grants"."revoke_target" <= "credit_grants"."credits");--> statement-breakpoint
-- Grants refunded or disputed before this migration: an open dispute (a dispute row not
-- reversed) claims the whole grant; otherwise what was taken is the target, so nothing moves now.
UPDATE "credit_grants" g
SET "revoke_type" = CASE WHEN d.open THEN 'dispute' ELSE 'order_refund' END,
    "revoke_target" = CASE WHEN d.open THEN g."credits" ELSE n.net END
FROM (
  SELECT a."grant_trans_no", sum(a."credits")::int AS net
  FROM "credit_allocations" a JOIN "credits" c ON c."trans_no" = a."trans_no"
  WHERE c."trans_type" IN ('order_refund', 'dispute', 'dispute_reversal')
  GROUP BY a."grant_trans_no"
) n,
LATERAL (
  SELECT EXISTS (
    SELECT 1 FROM "credits" x
    WHERE x."ref_trans_no" = n."grant_trans_no" AND x."trans_type" = 'dispute'
      AND NOT EXISTS (SELECT 1 FROM "credits" r WHERE r."ref_trans_no" = x."trans_no" AND r."trans_type" = 'dispute_reversal')
  ) AS open
) d
WHERE g."trans_no" = n."grant_trans_no" AND (n.net > 0 OR d.open);
