import { describe, expect, it } from "vitest";
import { pickMessages } from "@/i18n/pick-messages";

const messages = {
  common: { brand: "Brand", locale: { en: "English" } },
  billing: { buy: { button: "Buy" }, purchase: { title: "Buy credits" } },
  admin: { meta: { title: "Operator console" } },
};

describe("pickMessages (what a page's client components receive)", () => {
  it("keeps whole namespaces and nested paths in their shape, and nothing else", () => {
    expect(pickMessages(messages, ["common", "billing.buy"])).toEqual({
      common: messages.common,
      billing: { buy: { button: "Buy" } },
    });
  });

  it("merges two paths under the same namespace", () => {
    expect(pickMessages(messages, ["billing.buy", "billing.purchase"])).toEqual({ billing: messages.billing });
  });

  it("refuses a path that names nothing (a typo in a page's list)", () => {
    expect(() => pickMessages(messages, ["billing.nope"])).toThrow('No messages at "billing.nope"');
    expect(() => pickMessages(messages, ["tasks"])).toThrow('No messages at "tasks"');
  });
});
