import { afterEach, describe, expect, it } from "vitest";
import { isAdminEmail } from "@/lib/auth/admin-email";
import { env, resetEnvCache } from "@/lib/env";

describe("ADMIN_EMAILS", () => {
  const saved = process.env.ADMIN_EMAILS;
  afterEach(() => {
    if (saved === undefined) delete process.env.ADMIN_EMAILS;
    else process.env.ADMIN_EMAILS = saved;
    resetEnvCache();
  });

  it("is a comma-separated list, normalized (trimmed, lower-case), empty entries dropped", () => {
    process.env.ADMIN_EMAILS = " Ops@Example.com ,, founder@example.com ,";
    resetEnvCache();
    expect(env().ADMIN_EMAILS).toEqual(["ops@example.com", "founder@example.com"]);
    expect(isAdminEmail("OPS@example.COM ")).toBe(true);
    expect(isAdminEmail("founder@example.com")).toBe(true);
    expect(isAdminEmail("someone@example.com")).toBe(false);
  });

  it("unset: nobody is an admin", () => {
    delete process.env.ADMIN_EMAILS;
    resetEnvCache();
    expect(env().ADMIN_EMAILS).toEqual([]);
    expect(isAdminEmail("")).toBe(false);
  });
});
