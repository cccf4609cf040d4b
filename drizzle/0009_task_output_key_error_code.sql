ALTER TABLE "tasks" ADD COLUMN "output_key" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "error_code" text;