CREATE TABLE "credit_holds" (
	"id" text PRIMARY KEY NOT NULL,
	"user_uuid" text NOT NULL,
	"credits" integer NOT NULL,
	"status" text DEFAULT 'held' NOT NULL,
	"settled_credits" integer,
	"trans_type" text NOT NULL,
	"task_uuid" text,
	"reason" text,
	"key" text,
	"metadata" jsonb,
	"grant_trans_nos" text[] NOT NULL,
	"grant_credits" integer[] NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "credit_holds_credits_positive" CHECK ("credit_holds"."credits" > 0),
	CONSTRAINT "credit_holds_status" CHECK ("credit_holds"."status" IN ('held', 'settled', 'released', 'expired')),
	CONSTRAINT "credit_holds_settled_range" CHECK (("credit_holds"."status" = 'settled') = ("credit_holds"."settled_credits" IS NOT NULL) AND coalesce("credit_holds"."settled_credits" BETWEEN 0 AND "credit_holds"."credits", true)),
	CONSTRAINT "credit_holds_resolved_at" CHECK (("credit_holds"."status" = 'held') = ("credit_holds"."resolved_at" IS NULL)),
	CONSTRAINT "credit_holds_grants_shape" CHECK (cardinality("credit_holds"."grant_trans_nos") = cardinality("credit_holds"."grant_credits"))
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "credits_reserved" integer;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "credits_hold_id" text;--> statement-breakpoint
ALTER TABLE "credit_holds" ADD CONSTRAINT "credit_holds_user_uuid_users_uuid_fk" FOREIGN KEY ("user_uuid") REFERENCES "public"."users"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credit_holds_user_key_idx" ON "credit_holds" USING btree ("user_uuid","key") WHERE "credit_holds"."key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "credit_holds_open_user_idx" ON "credit_holds" USING btree ("user_uuid") WHERE "credit_holds"."status" = 'held';--> statement-breakpoint
CREATE INDEX "credit_holds_open_expiry_idx" ON "credit_holds" USING btree ("expires_at") WHERE "credit_holds"."status" = 'held';