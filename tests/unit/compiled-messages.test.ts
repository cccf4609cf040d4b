import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileMessages, messageFormatter } from "@/i18n/compiled-messages";
import { renderMail } from "@/services/email/templates";
import { taskTypes } from "@/services/tasks/registry";

const MESSAGES = path.resolve(__dirname, "../../messages");
const catalogs = fs
  .readdirSync(MESSAGES)
  .flatMap((locale) => fs.readdirSync(path.join(MESSAGES, locale)).map((file) => ({ name: `${locale}/${file}`, tree: JSON.parse(fs.readFileSync(path.join(MESSAGES, locale, file), "utf8")) })));

/** True if only plain objects, arrays and primitives are inside: what React can pass to a client component. */
function plain(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(plain);
  if (value && typeof value === "object") return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(plain);
  return true;
}

describe("compiled messages (what pages and mails format)", () => {
  it.each(catalogs)("every message of $name is valid ICU and compiles to plain data", ({ tree }) => {
    const compiled = compileMessages(tree);
    expect(plain(compiled)).toBe(true);
    expect(Object.keys(compiled)).toEqual(Object.keys(tree));
  });

  it("every task type's own strings compile", () => {
    for (const d of taskTypes()) for (const labels of Object.values(d.labels)) expect(plain(compileMessages(labels))).toBe(true);
  });

  it("an array is refused with its path: compiled messages have no t.raw, so lists are keyed messages", () => {
    expect(() => compileMessages({ t2v: { examples: ["A paper boat at dusk"] } })).toThrow(/t2v\.examples is an array/);
    expect(compileMessages({ t2v: { examples: { boat: "A paper boat at dusk" } } })).toEqual({ t2v: { examples: { boat: "A paper boat at dusk" } } });
  });

  it("a message that is not valid ICU is refused with its path", () => {
    expect(() => compileMessages({ billing: { ok: "Fine", broken: "Send <key> please" } })).toThrow(/billing\.broken/);
  });

  it("formats arguments, plurals and tags, and keeps plain text as it is", () => {
    const t = messageFormatter("en", { a: { plain: "Plain text", count: "{n, plural, one {# credit} other {# credits}} for {name}", quoted: "Bearer '<key>'" } });
    expect(t("a.plain")).toBe("Plain text");
    expect(t("a.count", { n: 1, name: "Ada" })).toBe("1 credit for Ada");
    expect(t("a.count", { n: 1200, name: "Ada" })).toBe("1,200 credits for Ada");
    expect(t("a.quoted")).toBe("Bearer <key>");
    expect(() => t("a.missing")).toThrow('No message at "a.missing"');
    expect(() => t("a")).toThrow('No message at "a"');
  });

  it("a mail is filled in, in both languages, with no ICU left in it", () => {
    for (const locale of ["en", "zh"]) {
      const mail = renderMail("passwordReset", locale, { link: "https://app.example/reset?token=abc", minutes: 30, hours: 1 });
      expect(mail.text).toContain("https://app.example/reset?token=abc");
      expect(`${mail.subject}\n${mail.text}`).not.toMatch(/[{}]/);
    }
  });
});
