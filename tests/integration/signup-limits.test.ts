import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { checkSignUpRateLimit, isDisposableEmail } from "@/services/accounts/users";

describe("sign-up limits", () => {
  afterEach(() => {
    delete process.env.SIGNUP_RATE_LIMIT_GLOBAL;
    delete process.env.SIGNUP_RATE_LIMIT_PER_IP;
    resetEnvCache();
  });

  it("the global limit holds whatever the addresses (and with none known)", async () => {
    process.env.SIGNUP_RATE_LIMIT_GLOBAL = "3";
    resetEnvCache();
    await checkSignUpRateLimit({ ip: "192.0.2.1" });
    await checkSignUpRateLimit({ ip: "192.0.2.2" });
    await checkSignUpRateLimit({ ip: null });
    await expect(checkSignUpRateLimit({ ip: "192.0.2.3" })).rejects.toMatchObject({ status: 429 });
  });

  it("no disposable domains are listed by default (the hook is src/data/disposable-email-domains.ts)", () => {
    expect(isDisposableEmail("someone@example.com")).toBe(false);
  });
});
