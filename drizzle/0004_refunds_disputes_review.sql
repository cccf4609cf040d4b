ALTER TABLE "credits" ADD COLUMN "metadata" jsonb;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "amount_refunded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "review_reason" text;--> statement-breakpoint
CREATE INDEX "orders_needs_review_idx" ON "orders" USING btree ("created_at") WHERE "orders"."status" = 'needs_review';