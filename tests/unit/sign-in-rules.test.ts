import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/client-ip";
import { isCommonPassword } from "@/lib/common-passwords";
import { maskEmail } from "@/lib/log-safe";
import { PASSWORD_RULE_MESSAGES, brokenPasswordRule, passwordRuleOf } from "@/lib/password-rules";

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

  it("the bundled common list is checked case-insensitively", () => {
    expect(isCommonPassword("password1")).toBe(true);
    expect(isCommonPassword("PassWord1")).toBe(true);
    expect(isCommonPassword("iloveyou")).toBe(true);
    expect(isCommonPassword("correct horse battery")).toBe(false);
  });

  it("a server message maps back to its rule (for the form's own words)", () => {
    expect(passwordRuleOf(`password: ${PASSWORD_RULE_MESSAGES.common}`)).toBe("common");
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
