import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/http/client-ip";
import { MIN_PASSWORD_SCORE, passwordStrength, passwordUserInputs } from "@/lib/auth/password-strength";
import { maskEmail } from "@/lib/log-safe";
import { PASSWORD_RULE_MESSAGES, brokenPasswordRule, passwordRuleOf } from "@/lib/auth/password-rules";

describe("clientIp", () => {
  const h = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

  it("trusts no header without configured proxy hops", () => {
    expect(clientIp(h("203.0.113.9"), 0)).toBeNull();
    expect(clientIp(h(), 0)).toBeNull();
  });

  it("takes the N-th entry from the right: entries to its left were written by the client", () => {
    expect(clientIp(h("1.1.1.1, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(clientIp(h("1.1.1.1, 203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    expect(clientIp(h("2001:DB8::1"), 1)).toBe("2001:db8::1");
    expect(clientIp({ "x-forwarded-for": "198.51.100.4" }, 1)).toBe("198.51.100.4");
  });

  it("null when the chain is shorter than the hops or the entry is not an address", () => {
    expect(clientIp(h("203.0.113.9"), 2)).toBeNull();
    expect(clientIp(h("unknown"), 1)).toBeNull();
    expect(clientIp(h(""), 1)).toBeNull();
  });
});

describe("password rules", () => {
  it.each([
    ["short7!", "a@b.co", "short"],
    ["x".repeat(129), "a@b.co", "long"],
    ["         ", "a@b.co", "blank"],
    [" Someone@Example.com ", "someone@example.com", "email"],
    ["correct horse battery", "a@b.co", null],
  ] as const)("%j (email %s) breaks %s", (password, email, rule) => {
    expect(brokenPasswordRule(password, email)).toBe(rule);
  });

  it.each(["password1", "PassWord1", "iloveyou", "aaaaaaaa", "Password123!", "Winter2025!", "credits123", "1q2w3e4r5t"])(
    "%j is too easy to guess (zxcvbn score below the minimum), with a warning or a suggestion",
    async (password) => {
      const strength = await passwordStrength(password, { email: "someone@example.com" });
      expect(strength.score).toBeLessThan(MIN_PASSWORD_SCORE);
      expect(strength.warning ?? strength.suggestions[0]).toMatch(/^[a-zA-Z]+$/); // a key the forms translate
    },
  );

  it.each(["correct horse battery", "quiet-lantern-orbit-71", "kT9#mQ2$vL5@xW"])("%j is strong enough", async (password) => {
    expect((await passwordStrength(password, { email: "someone@example.com" })).score).toBeGreaterThanOrEqual(MIN_PASSWORD_SCORE);
  });

  it("the user's email and name count against the password", async () => {
    expect(passwordUserInputs({ email: "Marguerite.Fontaine@example.com", name: "Marguerite Fontaine" })).toEqual(
      expect.arrayContaining(["marguerite.fontaine@example.com", "marguerite", "fontaine", "example", "credits"]),
    );
    const own = await passwordStrength("marguerite.fontaine1", { email: "marguerite.fontaine@example.com" });
    expect(own.score).toBeLessThan(MIN_PASSWORD_SCORE);
    expect(own.warning).toBe("userInputs");
    expect((await passwordStrength("marguerite.fontaine1", { email: "someone@example.com" })).score).toBeGreaterThan(own.score);
  });

  it("a long repeated pattern is scored on its first characters, quickly", async () => {
    await passwordStrength("warm-up", {});
    const started = performance.now();
    const strength = await passwordStrength("aB3$".repeat(32), {});
    expect(strength.score).toBeLessThan(MIN_PASSWORD_SCORE);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("a server message maps back to its rule (for the form's own words)", () => {
    expect(passwordRuleOf(`password: ${PASSWORD_RULE_MESSAGES.weak}`)).toBe("weak");
    expect(passwordRuleOf("password: something else")).toBeNull();
  });
});

describe("maskEmail", () => {
  it("keeps the domain and two characters", () => {
    expect(maskEmail("someone@example.com")).toBe("so***@example.com");
    expect(maskEmail("a@example.com")).toBe("a***@example.com");
    expect(maskEmail("nonsense")).toBe("***");
  });
});
