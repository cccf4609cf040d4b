import path from "node:path";
import { describe, expect, it } from "vitest";
import { assertProductionSecrets, env, type Env } from "@/lib/env";
import { createStorage, LocalStorage } from "@/services/storage";

const base = (over: Partial<Env>): Env => ({ ...env(), ...over });
const production = { NODE_ENV: "production", DATABASE_URL: "postgres://x/y", AUTH_SECRET: "s".repeat(32), SMTP_URL: "smtp://mail:587" } as const;

describe("storage configuration", () => {
  it("defaults to the local driver under ./data/storage with one-hour URLs", () => {
    const e = base({});
    expect(e.STORAGE_DRIVER).toBe("local");
    expect(e.STORAGE_URL_TTL_SECONDS).toBe(3600);
    const driver = createStorage(e);
    expect(driver).toBeInstanceOf(LocalStorage);
    expect((driver as LocalStorage).root).toBe(path.resolve("./data/storage"));
  });

  it("a production deployment on the local driver needs STORAGE_SIGNING_SECRET; on s3 it needs S3_BUCKET", () => {
    expect(() => assertProductionSecrets(base({ ...production, STORAGE_SIGNING_SECRET: undefined }))).toThrow(/STORAGE_SIGNING_SECRET/);
    expect(() => assertProductionSecrets(base({ ...production, STORAGE_SIGNING_SECRET: "k".repeat(32) }))).not.toThrow();
    expect(() => assertProductionSecrets(base({ ...production, STORAGE_DRIVER: "s3", S3_BUCKET: undefined }))).toThrow(/S3_BUCKET/);
    expect(() => assertProductionSecrets(base({ ...production, STORAGE_DRIVER: "s3", S3_BUCKET: "b" }))).not.toThrow();
  });
});
