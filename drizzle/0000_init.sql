CREATE TABLE "accounts" (
	"user_uuid" text NOT NULL,
	"type" text NOT NULL,
	"provider" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"refresh_token" text,
	"access_token" text,
	"expires_at" integer,
	"token_type" text,
	"scope" text,
	"id_token" text,
	"session_state" text,
	CONSTRAINT "accounts_provider_provider_account_id_pk" PRIMARY KEY("provider","provider_account_id")
);
--> statement-breakpoint
CREATE TABLE "credit_allocations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"trans_no" text NOT NULL,
	"grant_trans_no" text NOT NULL,
	"credits" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_grants" (
	"trans_no" text PRIMARY KEY NOT NULL,
	"user_uuid" text NOT NULL,
	"credits" integer NOT NULL,
	"remaining" integer NOT NULL,
	"expired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_grants_remaining_range" CHECK ("credit_grants"."remaining" >= 0 AND "credit_grants"."remaining" <= "credit_grants"."credits")
);
--> statement-breakpoint
CREATE TABLE "credits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"trans_no" text NOT NULL,
	"user_uuid" text NOT NULL,
	"trans_type" text NOT NULL,
	"credits" integer NOT NULL,
	"order_no" text,
	"task_uuid" text,
	"ref_trans_no" text,
	"reason" text,
	"expired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credits_trans_no_unique" UNIQUE("trans_no"),
	CONSTRAINT "credits_nonzero" CHECK ("credits"."credits" <> 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"order_no" text PRIMARY KEY NOT NULL,
	"user_uuid" text NOT NULL,
	"credits" integer NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"bundle" text,
	"status" text DEFAULT 'created' NOT NULL,
	"stripe_session_id" text,
	"stripe_payment_intent_id" text,
	"credits_trans_no" text,
	"paid_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_stripe_session_id_unique" UNIQUE("stripe_session_id"),
	CONSTRAINT "orders_credits_positive" CHECK ("orders"."credits" > 0),
	CONSTRAINT "orders_amount_nonnegative" CHECK ("orders"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"window_start" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"session_token" text PRIMARY KEY NOT NULL,
	"user_uuid" text NOT NULL,
	"expires" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"uuid" text PRIMARY KEY NOT NULL,
	"user_uuid" text NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"credits_used" integer NOT NULL,
	"credits_trans_no" text,
	"refund_trans_no" text,
	"user_input" text NOT NULL,
	"output_url" text,
	"output_json" text,
	"error_message" text,
	"provider" text NOT NULL,
	"provider_job_id" text,
	"progress" integer DEFAULT 0 NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "tasks_progress_range" CHECK ("tasks"."progress" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"uuid" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"image" text,
	"email_verified" timestamp with time zone,
	"password_hash" text,
	"locale" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "verification_tokens" (
	"identifier" text NOT NULL,
	"token" text NOT NULL,
	"expires" timestamp with time zone NOT NULL,
	CONSTRAINT "verification_tokens_identifier_token_pk" PRIMARY KEY("identifier","token")
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_uuid_users_uuid_fk" FOREIGN KEY ("user_uuid") REFERENCES "public"."users"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_allocations" ADD CONSTRAINT "credit_allocations_trans_no_credits_trans_no_fk" FOREIGN KEY ("trans_no") REFERENCES "public"."credits"("trans_no") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_allocations" ADD CONSTRAINT "credit_allocations_grant_trans_no_credit_grants_trans_no_fk" FOREIGN KEY ("grant_trans_no") REFERENCES "public"."credit_grants"("trans_no") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_grants" ADD CONSTRAINT "credit_grants_trans_no_credits_trans_no_fk" FOREIGN KEY ("trans_no") REFERENCES "public"."credits"("trans_no") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_grants" ADD CONSTRAINT "credit_grants_user_uuid_users_uuid_fk" FOREIGN KEY ("user_uuid") REFERENCES "public"."users"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credits" ADD CONSTRAINT "credits_user_uuid_users_uuid_fk" FOREIGN KEY ("user_uuid") REFERENCES "public"."users"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_user_uuid_users_uuid_fk" FOREIGN KEY ("user_uuid") REFERENCES "public"."users"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_uuid_users_uuid_fk" FOREIGN KEY ("user_uuid") REFERENCES "public"."users"("uuid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_user_uuid_users_uuid_fk" FOREIGN KEY ("user_uuid") REFERENCES "public"."users"("uuid") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accounts_user_idx" ON "accounts" USING btree ("user_uuid");--> statement-breakpoint
CREATE INDEX "credit_allocations_trans_idx" ON "credit_allocations" USING btree ("trans_no");--> statement-breakpoint
CREATE INDEX "credit_allocations_grant_idx" ON "credit_allocations" USING btree ("grant_trans_no");--> statement-breakpoint
CREATE INDEX "credit_grants_active_idx" ON "credit_grants" USING btree ("user_uuid","expired_at","created_at") WHERE "credit_grants"."remaining" > 0;--> statement-breakpoint
CREATE INDEX "credits_user_history_idx" ON "credits" USING btree ("user_uuid","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "credits_order_idx" ON "credits" USING btree ("order_no");--> statement-breakpoint
CREATE INDEX "credits_task_idx" ON "credits" USING btree ("task_uuid");--> statement-breakpoint
CREATE INDEX "credits_ref_idx" ON "credits" USING btree ("ref_trans_no");--> statement-breakpoint
CREATE INDEX "orders_user_created_idx" ON "orders" USING btree ("user_uuid","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_payment_intent_idx" ON "orders" USING btree ("stripe_payment_intent_id");--> statement-breakpoint
CREATE INDEX "tasks_user_created_idx" ON "tasks" USING btree ("user_uuid","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_user_idempotency_idx" ON "tasks" USING btree ("user_uuid","idempotency_key") WHERE "tasks"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_provider_job_idx" ON "tasks" USING btree ("provider","provider_job_id") WHERE "tasks"."provider_job_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "tasks_unfinished_idx" ON "tasks" USING btree ("updated_at") WHERE "tasks"."status" IN ('queued', 'running');