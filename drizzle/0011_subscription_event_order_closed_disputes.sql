CREATE TABLE "closed_disputes" (
	"dispute_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "stripe_event_at" timestamp with time zone;