import { describe, expect, it } from "vitest";
import { assertProductionSecrets, env, resetEnvCache, type Env } from "@/lib/env";
import { missingProviderSettings } from "@/services/tasks/registry";

// Task types' own settings (TEXT2VIDEO_PROVIDER, ...) are in env() too, outside the shared Env type.
const base = (over: Partial<Env> & Record<string, unknown>): Env => ({ ...env(), ...over });
const S32 = "s".repeat(32);
const K32 = "k".repeat(32);

describe("production secrets", () => {
  it("a production deployment (NODE_ENV=production + DATABASE_URL) refuses to start without AUTH_SECRET, naming it", () => {
    expect(() => assertProductionSecrets(base({ NODE_ENV: "production", DATABASE_URL: "postgres://x/y", AUTH_SECRET: undefined }))).toThrow(
      /AUTH_SECRET/,
    );
  });

  it("names the Stripe webhook secret when Stripe is on, and Replicate's secrets when it is the provider", () => {
    const e = base({
      NODE_ENV: "production",
      DATABASE_URL: "postgres://x/y",
      AUTH_SECRET: S32,
      STORAGE_SIGNING_SECRET: K32,
      STRIPE_SECRET_KEY: "sk_live_x",
      STRIPE_WEBHOOK_SECRET: undefined,
      TEXT2VIDEO_PROVIDER: "replicate",
      REPLICATE_API_TOKEN: undefined,
      REPLICATE_WEBHOOK_SECRET: undefined,
    });
    expect(() => assertProductionSecrets(e, missingProviderSettings)).toThrow(/STRIPE_WEBHOOK_SECRET, REPLICATE_API_TOKEN, REPLICATE_WEBHOOK_SECRET/);
  });

  it("names what any type's selected provider needs, and an unknown provider name", () => {
    const e = base({ NODE_ENV: "production", DATABASE_URL: "postgres://x/y", AUTH_SECRET: S32, TEXT2IMAGE_PROVIDER: "replicate", REPLICATE_API_TOKEN: undefined });
    expect(() => assertProductionSecrets(e, missingProviderSettings)).toThrow(/REPLICATE_API_TOKEN/);
    const unknown = base({ NODE_ENV: "production", DATABASE_URL: "postgres://x/y", AUTH_SECRET: S32, TEXT2IMAGE_PROVIDER: "acme" });
    expect(() => assertProductionSecrets(unknown, missingProviderSettings)).toThrow(/TEXT2IMAGE_PROVIDER/);
  });

  it("a production build on PGlite (no DATABASE_URL) needs AUTH_SECRET and STORAGE_SIGNING_SECRET too, and nothing else", () => {
    const pglite = { NODE_ENV: "production", DATABASE_URL: undefined, STORAGE_DRIVER: "local" } as const;
    expect(() => assertProductionSecrets(base({ ...pglite, AUTH_SECRET: undefined, STORAGE_SIGNING_SECRET: undefined }))).toThrow(
      /variable\(s\) for production: AUTH_SECRET, STORAGE_SIGNING_SECRET\./,
    );
    expect(() => assertProductionSecrets(base({ ...pglite, AUTH_SECRET: S32, STORAGE_SIGNING_SECRET: K32, STRIPE_SECRET_KEY: "sk_x" }))).not.toThrow();
  });

  it("a production start refuses AUTH_SECRET or STORAGE_SIGNING_SECRET under 32 characters, naming them, never their values", () => {
    for (const DATABASE_URL of [undefined, "postgres://x/y"]) {
      const prod = { NODE_ENV: "production", DATABASE_URL, SMTP_URL: "smtp://mail:587" } as const;
      expect(() => assertProductionSecrets(base({ ...prod, AUTH_SECRET: "x", STORAGE_SIGNING_SECRET: K32 }))).toThrow(/too short for production: AUTH_SECRET \(at least 32/);
      expect(() => assertProductionSecrets(base({ ...prod, AUTH_SECRET: S32, STORAGE_SIGNING_SECRET: "k".repeat(31) }))).toThrow(
        /too short for production: STORAGE_SIGNING_SECRET \(/,
      );
      expect(() => assertProductionSecrets(base({ ...prod, AUTH_SECRET: "short-secret", STORAGE_SIGNING_SECRET: K32 }))).not.toThrow(/short-secret/);
      expect(() => assertProductionSecrets(base({ ...prod, AUTH_SECRET: S32, STORAGE_SIGNING_SECRET: K32 }))).not.toThrow();
    }
    // Development and tests keep their short or generated secrets.
    expect(() => assertProductionSecrets(base({ NODE_ENV: "development", AUTH_SECRET: "x", STORAGE_SIGNING_SECRET: "k" }))).not.toThrow();
  });
});

describe("email verification settings", () => {
  const prod = { NODE_ENV: "production", DATABASE_URL: "postgres://x/y", AUTH_SECRET: S32, STORAGE_SIGNING_SECRET: K32 } as const;

  it("a production deployment with verification on and no mail transport stops, naming SMTP_URL", () => {
    expect(() => assertProductionSecrets(base({ ...prod, EMAIL_VERIFICATION: true, SMTP_URL: undefined }))).toThrow(
      /variable\(s\) for production: SMTP_URL\./,
    );
    expect(() => assertProductionSecrets(base({ ...prod, EMAIL_VERIFICATION: true, SMTP_URL: "smtp://mail:587" }))).not.toThrow();
    expect(() => assertProductionSecrets(base({ ...prod, EMAIL_VERIFICATION: false, SMTP_URL: undefined }))).not.toThrow();
  });

  it("defaults: verification on, unverified sign-in allowed; off and false are read", () => {
    const saved = { ...process.env };
    try {
      delete process.env.EMAIL_VERIFICATION;
      delete process.env.ALLOW_UNVERIFIED_SIGNIN;
      resetEnvCache();
      expect(env()).toMatchObject({ EMAIL_VERIFICATION: true, ALLOW_UNVERIFIED_SIGNIN: true });
      process.env.EMAIL_VERIFICATION = "off";
      process.env.ALLOW_UNVERIFIED_SIGNIN = "false";
      resetEnvCache();
      expect(env()).toMatchObject({ EMAIL_VERIFICATION: false, ALLOW_UNVERIFIED_SIGNIN: false });
      process.env.EMAIL_VERIFICATION = "maybe";
      resetEnvCache();
      expect(() => env()).toThrow(/EMAIL_VERIFICATION/);
    } finally {
      process.env = saved;
      resetEnvCache();
    }
  });
});

describe("env parsing", () => {
  it("names every bad variable", () => {
    const saved = { ...process.env };
    try {
      process.env.DATABASE_POOL_MAX = "lots";
      process.env.APP_URL = "not a url";
      resetEnvCache();
      expect(() => env()).toThrow(/DATABASE_POOL_MAX[\s\S]*APP_URL|APP_URL[\s\S]*DATABASE_POOL_MAX/);
    } finally {
      process.env = saved;
      resetEnvCache();
    }
  });
});
