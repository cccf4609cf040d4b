// Emails normalized one way everywhere (NFKC, trim, lower-case), and over-long passwords
// refused before any hashing work.
import { describe, expect, it } from "vitest";
import { normalizeEmail } from "@/lib/email";
import { PASSWORD_MAX_LENGTH, hashPassword, verifyPassword } from "@/lib/auth/password";
import { changeEmailInput, changePasswordInput, deleteAccountInput } from "@/lib/schemas/account";
import { magicLinkInput } from "@/services/accounts/magic-link";
import { forgotPasswordInput } from "@/services/accounts/password-reset";
import { emailSchema, signUpInput } from "@/services/accounts/users";

describe("normalizeEmail", () => {
  it.each([
    ["ＡＢＣ@ＥＸＡＭＰＬＥ.com", "abc@example.com"],
    ["abc＠example.com", "abc@example.com"], // fullwidth commercial at
    ["\u3000 Foo.Bar@Example.COM \u3000", "foo.bar@example.com"], // ideographic spaces are trimmed too
    ["  MIXED@example.com\n", "mixed@example.com"],
    ["ﬁle@example.com", "file@example.com"], // ligature
  ])("%j -> %j", (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it("every email input normalizes the same way", () => {
    const raw = " ＡＢＣ@ＥＸＡＭＰＬＥ.com ";
    expect(emailSchema.parse(raw)).toBe("abc@example.com");
    expect(signUpInput.parse({ email: raw, password: "horse-battery-42" }).email).toBe("abc@example.com");
    expect(forgotPasswordInput.parse({ email: raw }).email).toBe("abc@example.com");
    expect(magicLinkInput.parse({ email: raw }).email).toBe("abc@example.com");
    expect(changeEmailInput.parse({ email: raw }).email).toBe("abc@example.com");
  });
});

describe("huge passwords are refused before hashing", () => {
  const huge = "x".repeat(60_000);

  it("the schemas answer 400 naming the field", () => {
    expect(changePasswordInput.safeParse({ currentPassword: huge, newPassword: "horse-battery-42" }).error?.issues[0].path).toEqual(["currentPassword"]);
    expect(changeEmailInput.safeParse({ email: "a@example.com", currentPassword: huge }).error?.issues[0].path).toEqual(["currentPassword"]);
    expect(deleteAccountInput.safeParse({ currentPassword: huge }).error?.issues[0].path).toEqual(["currentPassword"]);
    expect(signUpInput.safeParse({ email: "a@example.com", password: huge }).error?.issues[0].path).toEqual(["password"]);
  });

  it("scrypt never sees them: verify is false at once, hash refuses", async () => {
    const stored = await hashPassword("horse-battery-42");
    await expect(hashPassword("y".repeat(PASSWORD_MAX_LENGTH + 1))).rejects.toThrow(RangeError);
    expect(await verifyPassword("y".repeat(PASSWORD_MAX_LENGTH + 1), stored)).toBe(false);
    // Hashing work costs milliseconds per call; ten refusals together cost less than one hash.
    let started = performance.now();
    await verifyPassword("horse-battery-43", stored);
    const oneHash = performance.now() - started;
    started = performance.now();
    for (let i = 0; i < 10; i++) expect(await verifyPassword(huge, stored)).toBe(false);
    expect(performance.now() - started).toBeLessThan(oneHash);
  });
});
