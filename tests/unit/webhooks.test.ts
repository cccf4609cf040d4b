// Outgoing webhooks, the pure parts: the address classifier (SSRF guard), the registration
// rules, the backoff schedule, the secrets' encryption, and the request schema.
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { BadRequestError } from "@/lib/http/errors";
import { webhookEndpointInputSchema } from "@/lib/schemas/webhooks";
import { signStandardWebhook } from "@/services/ai/standard-webhooks";
import { assertAcceptableEndpointUrl, BlockedAddressError, isPrivateAddress, resolveDeliveryTarget } from "@/services/webhooks/addresses";
import { retryDelayMs, WEBHOOK_MAX_RETRY_DELAY_MS } from "@/services/webhooks/delivery";
import { decryptWebhookSecret, encryptWebhookSecret, newWebhookSecret } from "@/services/webhooks/secrets";

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1", "127.255.255.254", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
    "169.254.169.254", "169.254.0.1", "0.0.0.0", "0.1.2.3", "100.64.0.1", "224.0.0.1", "255.255.255.255", "198.18.0.1",
    "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "::ffff:10.0.0.1",
    "::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "[::1]", "2001:db8::1",
    "not-an-ip", "",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["93.184.215.14", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808"])(
    "allows %s",
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe("registration rules", () => {
  const refused = (url: string, allowPrivate = false) => {
    try {
      assertAcceptableEndpointUrl(url, allowPrivate);
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).details).toMatchObject({ field: "url" });
      return (error as Error).message;
    }
    throw new Error(`${url} was accepted`);
  };

  it("in production: https only, no credentials, nothing inside", () => {
    expect(refused("http://example.com/hook")).toMatch(/https/);
    expect(refused("https://user:pass@example.com/hook")).toMatch(/user name or password/);
    for (const url of ["https://127.0.0.1/hook", "https://[::1]/hook", "https://169.254.169.254/latest", "https://[::ffff:127.0.0.1]/", "https://localhost/", "https://app.localhost/", "https://0.0.0.0/", "https://10.0.0.8:8443/x"]) {
      expect(refused(url), url).toMatch(/private/);
    }
    expect(assertAcceptableEndpointUrl("https://example.com/hook", false).toString()).toBe("https://example.com/hook");
  });

  it("WEBHOOK_ALLOW_PRIVATE_URLS allows http and local addresses, never credentials", () => {
    expect(assertAcceptableEndpointUrl("http://127.0.0.1:4000/hooks", true).host).toBe("127.0.0.1:4000");
    expect(refused("http://u:p@127.0.0.1/", true)).toMatch(/user name/);
  });

  it("the schema names the field", () => {
    const bad = (input: unknown) => webhookEndpointInputSchema.safeParse(input).error?.issues[0].path.join(".");
    expect(bad({ url: "ftp://example.com", events: ["task.failed"] })).toBe("url");
    expect(bad({ url: "not a url", events: ["task.failed"] })).toBe("url");
    expect(bad({ url: "https://example.com", events: [] })).toBe("events");
    expect(bad({ url: "https://example.com", events: ["task.exploded"] })).toBe("events.0");
    expect(webhookEndpointInputSchema.parse({ url: " https://example.com/h ", events: ["task.failed", "task.failed"] })).toEqual({
      url: "https://example.com/h",
      events: ["task.failed"],
    });
  });
});

describe("delivery-time resolution", () => {
  it("refuses a name that resolves inside, and pins the checked address", async () => {
    await expect(resolveDeliveryTarget(new URL("http://localhost:9/"), false)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(resolveDeliveryTarget(new URL("https://[::ffff:169.254.169.254]/"), false)).rejects.toBeInstanceOf(BlockedAddressError);
    expect(await resolveDeliveryTarget(new URL("http://127.0.0.1:9/"), true)).toEqual({ address: "127.0.0.1", family: 4 });
    expect(await resolveDeliveryTarget(new URL("https://8.8.8.8/"), false)).toEqual({ address: "8.8.8.8", family: 4 });
  });
});

describe("backoff", () => {
  it("doubles from the base, capped at 2 hours", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30, 30_000)).toBe(WEBHOOK_MAX_RETRY_DELAY_MS);
  });
});

describe("endpoint secrets", () => {
  it("whsec_ secrets, encrypted at rest and bound to their endpoint", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const stored = encryptWebhookSecret(secret, "ep_1");
    expect(stored).not.toContain(secret.slice(6));
    expect(decryptWebhookSecret(stored, "ep_1")).toBe(secret);
    expect(() => decryptWebhookSecret(stored, "ep_2")).toThrow();
  });

  it("what we sign, the standardwebhooks verifier accepts", () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: "task.succeeded", timestamp: new Date().toISOString(), data: {} });
    const ts = Math.floor(Date.now() / 1000);
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(ts), "webhook-signature": signStandardWebhook(secret, "msg_1", ts, body) };
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: "task.succeeded" });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});
