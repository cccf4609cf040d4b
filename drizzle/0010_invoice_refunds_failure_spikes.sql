ALTER TABLE "subscriptions" ADD COLUMN "latest_invoice_amount_charged" integer;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "latest_invoice_amount_refunded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "latest_invoice_dispute_id" text;--> statement-breakpoint
CREATE INDEX "tasks_completed_idx" ON "tasks" USING btree ("completed_at") WHERE "tasks"."completed_at" IS NOT NULL;