/**
 * API key inputs and the key's format, shared by the routes (src/app/api/keys/**), the
 * account page's form, the route wrapper (a key in a query string is refused) and the
 * service (src/services/api-keys). Client-safe: zod only.
 */
import { z } from "zod";

/** Keys start with `sk_live_` (production) or `sk_test_` (anything else), so secret scanners can find leaked ones. */
export const API_KEY_PREFIXES = ["sk_live_", "sk_test_"] as const;
/** A whole key: a prefix and 43 base64url characters (32 random bytes). */
export const API_KEY_PATTERN = /^sk_(?:live|test)_[A-Za-z0-9_-]{43}$/;
/** Anything that looks like the start of a key, wherever it appears (a query string). */
export const API_KEY_LOOKALIKE = /sk_(?:live|test)_[A-Za-z0-9_-]{8}/;

export const API_KEY_NAME_MAX = 100;
export const API_KEY_CAP_MAX = 1_000_000_000;

/** POST /api/keys: { name, expiresAt?, monthlyCreditCap? }. */
export const createApiKeyInput = z.object({
  name: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "is required")
    .max(API_KEY_NAME_MAX, `must be at most ${API_KEY_NAME_MAX} characters`),
  /** ISO 8601 date-time in the future; omitted or null: the key does not expire. */
  expiresAt: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 date-time" })
    .nullish()
    .refine((v) => v == null || Date.parse(v) > Date.now(), "must be in the future"),
  /** Most credits the key's tasks may cost per calendar month (UTC); omitted or null: no cap. */
  monthlyCreditCap: z
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(API_KEY_CAP_MAX, `must be at most ${API_KEY_CAP_MAX}`)
    .nullish(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

/** An API key as its owner sees it (never the secret, never its hash). */
export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The key's first characters (`sk_live_AbCd`), to tell keys apart. */
  prefix: z.string(),
  status: z.enum(["active", "expired", "revoked"]),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  monthlyCreditCap: z.number().int().nullable(),
  /** Credits this calendar month (UTC) by tasks the key created: charged, or held by a running metered task; refunds excluded. */
  spentThisMonth: z.number().int(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
}).meta({ id: "ApiKey", description: "An API key's record (never the secret)." });
export type ApiKeyDto = z.infer<typeof apiKeySchema>;

/** POST /api/keys → 201: the secret (`key`, shown this once) and its record. */
export const createdApiKeySchema = z.object({
  key: z.string().regex(API_KEY_PATTERN).meta({ description: "The secret (`sk_live_…` / `sk_test_…`): shown this once, only its hash is stored." }),
  apiKey: apiKeySchema,
});
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

/** The path parameter of DELETE /api/keys/{id}. */
export const apiKeyIdParam = z.string().min(1, "is required").max(100, "is too long").meta({ description: "The key's id (`apiKey.id`)." });
