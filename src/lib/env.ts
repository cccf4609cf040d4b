import { z } from "zod";
import { normalizeEmail } from "./email";

/**
 * Every environment variable the app reads, parsed and typed once.
 * `.env.example` documents each of them; keep the two in step.
 */
const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  APP_URL: z.string().url().default("http://localhost:3000"),

  DATABASE_URL: optionalString,
  DATABASE_POOL_MAX: int(10, 1),
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().positive().max(120).default(3),
  DATABASE_STATEMENT_TIMEOUT_MS: int(2500),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(10_000),
  PGLITE_DATA_DIR: z.string().default("./data/pglite"),
  DB_MIGRATE_ON_START: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),

  AUTH_SECRET: optionalString,
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  /** GitHub Enterprise Server (https://github.example.com): sign in there instead of github.com. */
  AUTH_GITHUB_ENTERPRISE_URL: optionalString.pipe(z.string().url().optional()),
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  /** Auth.js's own variable: the OpenID issuer Google sign-in talks to (default https://accounts.google.com). */
  AUTH_GOOGLE_ISSUER: optionalString.pipe(z.string().url().optional()),
  SIGNIN_RATE_LIMIT_PER_EMAIL: int(5, 1),
  SIGNIN_RATE_LIMIT_PER_IP: int(20, 1),
  SIGNIN_RATE_LIMIT_WINDOW_SECONDS: int(900, 1),
  // Ceiling per account across all addresses (looser than the per email+address limit).
  SIGNIN_RATE_LIMIT_PER_ACCOUNT: int(30, 1),
  // Sign-ups per client address and from everyone together, per window (429 with Retry-After).
  SIGNUP_RATE_LIMIT_PER_IP: int(5, 1),
  SIGNUP_RATE_LIMIT_GLOBAL: int(60, 1),
  SIGNUP_RATE_LIMIT_WINDOW_SECONDS: int(60, 1),
  // How many proxies in front of the app append to X-Forwarded-For (0: trust no header).
  TRUSTED_PROXY_HOPS: int(0),
  // How often a session is re-checked against the database (sign-out, version, disabled).
  SESSION_CHECK_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(60).default(30),

  // Mail: SMTP when set (smtp://user:pass@host:587, smtps://...); else mails go to the log + dev outbox.
  SMTP_URL: optionalString,
  EMAIL_FROM: z.string().default("Credits AI Studio <no-reply@localhost>"),
  // Sign-up mails a confirmation link and the welcome credits wait for it (off: granted at sign-up).
  EMAIL_VERIFICATION: z
    .enum(["on", "off"])
    .default("on")
    .transform((v) => v === "on"),
  // Whether accounts with an unconfirmed email may sign in (they get no welcome credits until they confirm).
  ALLOW_UNVERIFIED_SIGNIN: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),

  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_BASE: optionalString,
  CREDIT_PRICE_USD: z.coerce.number().positive().max(1000).default(0.1),

  TEXT2VIDEO_PROVIDER: z.string().default("mock"),
  TEXT2VIDEO_MOCK_DELAY_MS: int(8000),
  TEXT2VIDEO_MOCK_URL: optionalString,
  REPLICATE_API_TOKEN: optionalString,
  REPLICATE_API_BASE: z.string().url().default("https://api.replicate.com"),
  // bytedance/seedance-1-lite pinned (src/services/tasks/types/text-to-video/providers.ts maps its inputs).
  REPLICATE_MODEL: z.string().default("bytedance/seedance-1-lite:f22bbc7d965c70af30ba3b157e3bb05d232136555885e934b92878ad773f48c1"),
  REPLICATE_WEBHOOK_SECRET: optionalString,
  TEXT2IMAGE_PROVIDER: z.string().default("mock"),
  TEXT2IMAGE_MOCK_DELAY_MS: int(4000),
  TEXT2IMAGE_REPLICATE_MODEL: z.string().default("black-forest-labs/flux-schnell"),
  TASK_TIMEOUT_MS: int(10 * 60 * 1000, 1000),
  TASK_SWEEP_INTERVAL_MS: int(5000),
  /** A task still `queued` with no provider job this long after creation (the server died before submitting) fails with a refund. */
  TASK_QUEUED_GRACE_MS: int(60_000, 1000),
  /** Tasks one sweep claims per batch (FOR UPDATE SKIP LOCKED); a tick keeps claiming batches while work is due. */
  TASK_SWEEP_BATCH: int(100, 1),
  /** Upper bound on tasks one tick handles (the time budget is 80% of the sweep interval, at least 1 s). */
  TASK_SWEEP_MAX_PER_TICK: int(2000, 1),
  /** Provider status polls (and timeout refunds) a sweep runs at once. */
  TASK_SWEEP_CONCURRENCY: int(8, 1),
  TASK_RATE_LIMIT_PER_MINUTE: int(30, 1),
  CRON_SECRET: optionalString,

  ALERT_WEBHOOK_URL: optionalString.pipe(z.string().url().optional()),
  STRIPE_RECONCILE_DAYS: int(3, 1),
  /** Stripe Price ids of the plans in src/data/plans.ts: `pro:month=price_123,pro:year=price_456`. */
  STRIPE_PLAN_PRICES: optionalString.pipe(
    z
      .string()
      .regex(/^\s*[a-z0-9_-]+:(month|year)=[A-Za-z0-9_]+\s*(,\s*[a-z0-9_-]+:(month|year)=[A-Za-z0-9_]+\s*)*$/, {
        error: "must look like pro:month=price_123,pro:year=price_456",
      })
      .optional(),
  ),

  LOG_REQUESTS: bool,

  // Storage of task outputs (src/services/storage): local folder or any S3-compatible bucket.
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  STORAGE_LOCAL_DIR: z.string().default("./data/storage"),
  STORAGE_SIGNING_SECRET: optionalString,
  STORAGE_URL_TTL_SECONDS: int(3600, 1),
  S3_BUCKET: optionalString,
  S3_REGION: z.string().default("auto"),
  S3_ENDPOINT: optionalString,
  S3_FORCE_PATH_STYLE: bool,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,

  // Read by src/lib/logger.ts straight from process.env; validated here so a typo stops the start.
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),

  // Operator console (/[locale]/admin, /api/admin/*): comma-separated emails of the admins.
  ADMIN_EMAILS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((e) => normalizeEmail(e))
        .filter((e) => e !== ""),
    ),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Parses process.env once; throws naming every bad variable. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests change process.env between cases; this forgets the parsed copy. */
export function resetEnvCache() {
  cached = undefined;
}

/**
 * A deployment is "production" when it runs the production build against a real
 * PostgreSQL server. `npm run build && npm start` on the embedded PGlite database
 * is a local run and keeps working with zero configuration.
 */
export function isProductionDeployment(e: Env = env()) {
  return e.NODE_ENV === "production" && !!e.DATABASE_URL;
}

/**
 * Secrets a production deployment cannot start without. Called once at server start.
 * `more` names what else is missing (the task types' selected providers report theirs:
 * missingProviderSettings in src/services/tasks/registry.ts).
 */
export function assertProductionSecrets(e: Env = env(), more: (e: Env) => string[] = () => []) {
  const missing: string[] = [];
  // Every production server signs sessions, on PGlite too: with a secret only it knows.
  if (e.NODE_ENV === "production" && !e.AUTH_SECRET) missing.push("AUTH_SECRET");
  if (isProductionDeployment(e)) {
    if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) missing.push("STRIPE_WEBHOOK_SECRET");
    if (e.STORAGE_DRIVER === "local" && !e.STORAGE_SIGNING_SECRET) missing.push("STORAGE_SIGNING_SECRET");
    if (e.STORAGE_DRIVER === "s3" && !e.S3_BUCKET) missing.push("S3_BUCKET");
    missing.push(...more(e).filter((name) => !missing.includes(name)));
    // Confirmation links must reach people: production builds have no dev outbox, only the log.
    if (e.EMAIL_VERIFICATION && !e.SMTP_URL) missing.push("SMTP_URL");
  }
  if (missing.length > 0) {
    throw new Error(
      `Missing required environment variable(s) for production: ${missing.join(", ")}. See .env.example.`,
    );
  }
}

/** The key local storage signs read URLs with; a fixed one only for local runs. */
export function storageSigningSecret(e: Env = env()) {
  return e.STORAGE_SIGNING_SECRET ?? "local-development-storage-secret-do-not-use-in-production";
}
