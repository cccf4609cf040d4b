CREATE TABLE "uploads" (
	"id" text PRIMARY KEY NOT NULL,
	"user_uuid" text NOT NULL,
	"status" text DEFAULT 'receiving' NOT NULL,
	"kind" text,
	"content_type" text,
	"bytes" bigint,
	"storage_key" text NOT NULL,
	"name" text,
	"width" integer,
	"height" integer,
	"duration_seconds" double precision,
	"task_uuid" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_user_uuid_users_uuid_fk" FOREIGN KEY ("user_uuid") REFERENCES "public"."users"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "uploads_user_created_idx" ON "uploads" USING btree ("user_uuid","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "uploads_unused_expiry_idx" ON "uploads" USING btree ("expires_at") WHERE "uploads"."task_uuid" IS NULL;