CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"user_uuid" text NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"expires_at" timestamp with time zone,
	"monthly_credit_cap" integer,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash"),
	CONSTRAINT "api_keys_cap_positive" CHECK ("api_keys"."monthly_credit_cap" > 0)
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "api_key_id" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_uuid_users_uuid_fk" FOREIGN KEY ("user_uuid") REFERENCES "public"."users"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_user_created_idx" ON "api_keys" USING btree ("user_uuid","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tasks_api_key_created_idx" ON "tasks" USING btree ("api_key_id","created_at" DESC NULLS LAST) WHERE "tasks"."api_key_id" IS NOT NULL;