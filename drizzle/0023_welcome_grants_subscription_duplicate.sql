CREATE TABLE "welcome_grants" (
	"address_hash" text PRIMARY KEY NOT NULL,
	"user_uuid" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "duplicate_of" text;