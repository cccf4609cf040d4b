import { z } from "zod";
import { normalizeEmail } from "./email";

/**
 * Every environment variable the app reads, parsed and typed once. The shared ones are
 * below; a task type declares its own in its definition (`env` in defineTaskType), and
 * they join this schema through `declareEnv`. `.env.example` documents each of them: the
 * shared ones by hand, the task types' section generated (`npm run env:example`); a unit
 * test fails when either is out of step.
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
/** A comma-separated list of mail domains, lower-cased ("*": every domain). */
const domainList = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v) =>
      v
        .split(",")
        .map((d) => d.normalize("NFKC").trim().toLowerCase())
        .filter((d) => d !== ""),
    );

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  APP_URL: z.string().url().default("http://localhost:3000"),

  DATABASE_URL: optionalString,
  DATABASE_POOL_MAX: int(10, 1),
  DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().positive().max(120).default(3),
  DATABASE_STATEMENT_TIMEOUT_MS: int(2500),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(10_000),
  PGLITE_DATA_DIR: z.string().default("./data/pglite"),
  // The live-status watcher's LISTEN connection (one per instance), when DATABASE_URL goes
  // through a transaction pooler (PgBouncer, Supabase's pooler) that cannot LISTEN: a direct URL.
  DATABASE_LISTEN_URL: optionalString,
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
  // The routes that take a mailed token (reset, verification, magic link, email-change
  // confirmation), each: per client address and from everyone together, per window.
  TOKEN_RATE_LIMIT_PER_IP: int(10, 1),
  TOKEN_RATE_LIMIT_GLOBAL: int(300, 1),
  TOKEN_RATE_LIMIT_WINDOW_SECONDS: int(60, 1),
  // How long the answer to an unknown, used or expired token waits (a timer, no work).
  TOKEN_REFUSAL_DELAY_MS: int(1000, 0),
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
  // Welcome credits go once per mailbox: addresses at these domains count without their
  // "+tag" (a+1@gmail.com is a@gmail.com); "*" for every domain, "" for none.
  WELCOME_CREDITS_PLUS_TAG_DOMAINS: domainList(
    "gmail.com,googlemail.com,outlook.com,hotmail.com,live.com,msn.com,icloud.com,me.com,mac.com,proton.me,protonmail.com,pm.me,fastmail.com",
  ),
  // ... and at these without the dots of the local part (Gmail ignores them: a.b@gmail.com is ab@gmail.com).
  WELCOME_CREDITS_DOTLESS_DOMAINS: domainList("gmail.com,googlemail.com"),
  // Whether accounts with an unconfirmed email may sign in (they get no welcome credits until they confirm).
  ALLOW_UNVERIFIED_SIGNIN: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),

  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_BASE: optionalString,
  CREDIT_PRICE_USD: z.coerce.number().positive().max(1000).default(0.1),

  REPLICATE_API_TOKEN: optionalString,
  REPLICATE_API_BASE: z.string().url().default("https://api.replicate.com"),
  // bytedance/seedance-1-lite pinned (src/tasks/text-to-video/providers.ts maps its inputs).
  REPLICATE_MODEL: z.string().default("bytedance/seedance-1-lite:f22bbc7d965c70af30ba3b157e3bb05d232136555885e934b92878ad773f48c1"),
  REPLICATE_WEBHOOK_SECRET: optionalString,
  // fal.ai's queue API (src/services/ai/providers/fal.ts): `Authorization: Key $FAL_KEY`.
  FAL_KEY: optionalString,
  FAL_QUEUE_BASE: z.string().url().default("https://queue.fal.run"),
  TASK_TIMEOUT_MS: int(10 * 60 * 1000, 1000),
  TASK_SWEEP_INTERVAL_MS: int(5000),
  // Live-status streams (GET /api/tasks/<uuid>/events) open at once, per user and per
  // instance; beyond either a 429 with Retry-After, and the task page polls instead.
  TASK_EVENTS_MAX_STREAMS_PER_USER: int(10, 1),
  TASK_EVENTS_MAX_STREAMS_PER_INSTANCE: int(1000, 1),
  /** A task still `queued` with no provider job this long after creation (the server died before submitting) fails with a refund. */
  TASK_QUEUED_GRACE_MS: int(60_000, 1000),
  /** Tasks one sweep claims per batch (FOR UPDATE SKIP LOCKED); a tick keeps claiming batches while work is due. */
  TASK_SWEEP_BATCH: int(100, 1),
  /** Upper bound on tasks one tick handles (the time budget is 80% of the sweep interval, at least 1 s). */
  TASK_SWEEP_MAX_PER_TICK: int(2000, 1),
  /** Provider status polls (and timeout refunds) a sweep runs at once. */
  TASK_SWEEP_CONCURRENCY: int(8, 1),
  TASK_RATE_LIMIT_PER_MINUTE: int(30, 1),
  /** Requests one API key may make per minute, on every route it is accepted on (429 past it; src/services/api-keys). */
  API_KEY_RATE_LIMIT_PER_MINUTE: int(300, 1),
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

  // Outgoing webhooks (src/services/webhooks). Endpoints that resolve to private, loopback or
  // link-local addresses (and plain http) are refused unless this is true; unset, it is true
  // outside production (a local receiver in development) and false in production.
  WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(["true", "false", "1", "0"]).optional(),
  /** One delivery attempt's limit: connect, send, and the answer's headers and body. */
  WEBHOOK_TIMEOUT_MS: int(10_000, 100),
  /** The first retry's delay; each next one doubles (at most 2 h), for 24 hours after the event. */
  WEBHOOK_RETRY_BASE_MS: int(30_000, 10),
  /** Delivery attempts one background round makes (due ones, oldest first), and at once. */
  WEBHOOK_DELIVERIES_PER_TICK: int(200, 1),
  WEBHOOK_DELIVERY_CONCURRENCY: int(8, 1),

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

  // Uploads (src/services/uploads): task inputs users send, streamed into storage.
  UPLOAD_MAX_IMAGE_BYTES: int(20 * 1024 * 1024, 1),
  UPLOAD_MAX_AUDIO_BYTES: int(200 * 1024 * 1024, 1),
  UPLOAD_MAX_VIDEO_BYTES: int(500 * 1024 * 1024, 1),
  /** An upload no task used is deleted this long after it arrived (and can no longer start a task). */
  UPLOAD_TTL_SECONDS: int(86_400, 60),
  /** Uploads per user per hour (every attempt counts), and bytes per user per hour (stored uploads). */
  UPLOAD_RATE_LIMIT_PER_HOUR: int(60, 1),
  UPLOAD_RATE_LIMIT_BYTES_PER_HOUR: int(2 * 1024 * 1024 * 1024, 1),
  /** Lifetime of the signed URL a provider gets to read a task's input. */
  UPLOAD_PROVIDER_URL_TTL_SECONDS: int(3600, 60),

  // Chat (src/services/chat, docs/chat.md): the provider, its price per token, the reply's limits.
  /** `mock` (default, no key: a deterministic reply, streamed) or `openai` (any OpenAI-compatible server). */
  CHAT_PROVIDER: z.enum(["mock", "openai"]).default("mock"),
  /** The model the `openai` provider asks for (OpenAI, OpenRouter or any compatible server's name). */
  CHAT_MODEL: z.string().default("gpt-4o-mini"),
  OPENAI_API_KEY: optionalString,
  /** The OpenAI-compatible API's base URL (OpenRouter: https://openrouter.ai/api/v1). */
  OPENAI_BASE_URL: z.string().url().default("https://api.openai.com/v1"),
  /** Credits per 1,000 prompt tokens and per 1,000 reply tokens (a reply costs at least 1 credit to start). */
  CHAT_CREDITS_PER_1K_INPUT_TOKENS: z.coerce.number().min(0).max(10_000).default(1),
  CHAT_CREDITS_PER_1K_OUTPUT_TOKENS: z.coerce.number().min(0).max(10_000).default(4),
  /** The longest reply, in tokens: its price is what each reply holds before the provider is called. */
  CHAT_MAX_OUTPUT_TOKENS: int(1024, 1),
  /** The longest message a user may send, in characters (longer: 400). */
  CHAT_MAX_MESSAGE_CHARS: int(4000, 1),
  /** How many earlier messages of the conversation go to the provider with the new one. */
  CHAT_HISTORY_MESSAGES: int(20, 0),
  /**
   * How long a reply's hold lasts: a reply still streaming then is cut off and settled, and
   * the hold of a server that died mid-reply is released by the sweeper after it.
   */
  CHAT_HOLD_TTL_SECONDS: int(600, 10),
  /** The mock's reply: this many tokens, one every CHAT_MOCK_DELAY_MS. */
  CHAT_MOCK_TOKENS: int(60, 1),
  CHAT_MOCK_DELAY_MS: int(20, 0),

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

/** Settings declared outside this file (each task type's `env`), by owner. */
const declared = new Map<string, Record<string, z.ZodType>>();

/**
 * Adds settings to env() (a task type's own, from defineTaskType). A name may belong to
 * one owner only, and never shadows a shared setting. Re-declaring an owner (a module
 * reloaded by `next dev`) replaces its settings.
 */
export function declareEnv(owner: string, fields: Record<string, z.ZodType>): void {
  for (const name of Object.keys(fields)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`${owner}: setting ${name} must be UPPER_SNAKE_CASE`);
    if (name in schema.shape) throw new Error(`${owner}: setting ${name} is a shared setting (src/lib/env.ts)`);
    for (const [other, otherFields] of declared) {
      if (other !== owner && name in otherFields) throw new Error(`${owner}: setting ${name} is already declared by ${other}`);
    }
  }
  declared.set(owner, fields);
  cached = undefined;
}

/** Every declared setting by owner, in declaration order (the .env.example generator reads it). */
export function declaredEnv(): { owner: string; fields: Record<string, z.ZodType> }[] {
  return [...declared].map(([owner, fields]) => ({ owner, fields }));
}

/** The names of the shared settings (this file's schema). */
export function sharedEnvNames(): string[] {
  return Object.keys(schema.shape);
}

/**
 * Parses process.env once; throws naming every bad variable. The result holds the shared
 * settings (typed as Env) and every declared one (a task type reads its own through the
 * `e` its providers' `create` gets).
 */
export function env(): Env {
  if (cached) return cached;
  const full = declared.size === 0 ? schema : schema.extend(Object.assign({}, ...declared.values()));
  const parsed = full.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  cached = parsed.data as Env;
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
  if (e.NODE_ENV === "production") {
    // Every production server signs sessions and output URLs, on PGlite too: with secrets only it knows.
    if (!e.AUTH_SECRET) missing.push("AUTH_SECRET");
    if (e.STORAGE_DRIVER === "local" && !e.STORAGE_SIGNING_SECRET) missing.push("STORAGE_SIGNING_SECRET");
  }
  if (isProductionDeployment(e)) {
    if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) missing.push("STRIPE_WEBHOOK_SECRET");
    if (e.STORAGE_DRIVER === "s3" && !e.S3_BUCKET) missing.push("S3_BUCKET");
    if (e.CHAT_PROVIDER === "openai" && !e.OPENAI_API_KEY) missing.push("OPENAI_API_KEY");
    missing.push(...more(e).filter((name) => !missing.includes(name)));
    // Confirmation links must reach people: production builds have no dev outbox, only the log.
    if (e.EMAIL_VERIFICATION && !e.SMTP_URL) missing.push("SMTP_URL");
  }
  if (missing.length > 0) {
    throw new Error(
      `Missing required environment variable(s) for production: ${missing.join(", ")}. See .env.example.`,
    );
  }
  const weak = e.NODE_ENV === "production" ? weakSecrets(e) : [];
  if (weak.length > 0) {
    throw new Error(
      `Secret(s) too short for production: ${weak.join(", ")} (at least ${MIN_SECRET_LENGTH} characters; e.g. openssl rand -base64 33).`,
    );
  }
}

/** Whether webhook endpoints may point at private addresses (and use plain http): WEBHOOK_ALLOW_PRIVATE_URLS. */
export function webhookPrivateUrlsAllowed(e: Env = env()): boolean {
  if (e.WEBHOOK_ALLOW_PRIVATE_URLS === undefined) return e.NODE_ENV !== "production";
  return e.WEBHOOK_ALLOW_PRIVATE_URLS === "true" || e.WEBHOOK_ALLOW_PRIVATE_URLS === "1";
}

/** The shortest signing secret a production server accepts (AUTH_SECRET, STORAGE_SIGNING_SECRET). */
export const MIN_SECRET_LENGTH = 32;

/** The signing secrets that are set but too short to resist guessing (names only, never values). */
function weakSecrets(e: Env): string[] {
  const secrets = { AUTH_SECRET: e.AUTH_SECRET, STORAGE_SIGNING_SECRET: e.STORAGE_SIGNING_SECRET };
  return Object.entries(secrets).flatMap(([name, value]) => (value !== undefined && value.length < MIN_SECRET_LENGTH ? [name] : []));
}

/**
 * The key local storage signs read URLs with; a fixed one only for development and tests
 * (a production server refuses to start without one: assertProductionSecrets).
 */
export function storageSigningSecret(e: Env = env()) {
  if (e.STORAGE_SIGNING_SECRET) return e.STORAGE_SIGNING_SECRET;
  if (e.NODE_ENV === "production") throw new Error("STORAGE_SIGNING_SECRET is not set (required in production)");
  return "local-development-storage-secret-do-not-use-in-production";
}
