import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

const APP = "https://studio.example.com";
const safe = (v: string | undefined) => safeCallbackUrl(v, "/fallback", APP);

describe("safeCallbackUrl", () => {
  it.each([
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/%09/evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "https:evil.example",
    "http:evil.example",
    "https://evil.example",
    "//user@evil.example",
    "https://studio.example.com@evil.example/",
    "https://user:pw@studio.example.com/x",
    "javascript:alert(1)",
    "/.//evil.example",
    "/%E0%A4%A",
    "/\u0000x",
    "",
    undefined,
  ])("refuses %j", (value) => {
    expect(safe(value)).toBe("/fallback");
  });

  it.each([
    ["/en/tasks", "/en/tasks"],
    ["/en/tasks?page=2#x", "/en/tasks?page=2#x"],
    ["https://studio.example.com/zh/orders", "/zh/orders"],
    ["/en/./credits", "/en/credits"],
  ])("keeps %j as %j", (value, expected) => {
    expect(safe(value)).toBe(expected);
  });
});
