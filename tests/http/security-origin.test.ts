// Issue 11, item 4 — writes only from our own origin. The attack: a page on another
// origin of the same site (127.0.0.1:<other port>; browsers send SameSite=Lax cookies
// to it) posted a `text/plain` form and a `no-cors` fetch with the victim's cookie and
// created tasks and a checkout order. Replayed here with the headers such a browser
// sends; now 403 (foreign Origin) or 415 (not JSON), and nothing is written.
import { describe, expect, inject, it } from "vitest";
import { signedInClient, type TestClient } from "../support/http-client";

const base = inject("baseUrl");
const appOrigin = new URL(base).origin;
const evilOrigin = `http://127.0.0.1:${Number(new URL(base).port) + 4}`;
const task = JSON.stringify({ prompt: "Astronaut surfing", seconds: 2, aspectRatio: "landscape" });
const checkout = JSON.stringify({ bundle: "starter", locale: "en" });

async function counts(client: TestClient) {
  const tasks = await client.json("/api/tasks?page=1&pageSize=100");
  const orders = await client.json("/api/orders?page=1&pageSize=100");
  const credits = await client.json("/api/credits");
  return { tasks: tasks.body.data.items.length, orders: orders.body.data.items.length, balance: credits.body.data.balance };
}

describe("state-changing requests with the session cookie must come from the app's origin", () => {
  it("a cross-origin text/plain form post (the attack) is refused with 403 and writes nothing", async () => {
    const { client } = await signedInClient(base);
    const before = await counts(client);
    for (const path of ["/api/tasks/text-to-video", "/api/stripe/checkout/credits"]) {
      for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
        const res = await client.fetch(path, {
          method: "POST",
          headers: { origin: evilOrigin, "sec-fetch-site": "same-site", "content-type": contentType },
          body: path.includes("tasks") ? task : checkout,
        });
        expect(res.status, `${path} ${contentType}`).toBe(403);
        expect((await res.json()).code).toBe(403);
      }
    }
    expect(await counts(client)).toEqual(before);
  });

  it("a cross-origin no-cors fetch is refused even when it claims application/json", async () => {
    const { client } = await signedInClient(base);
    const before = await counts(client);
    const res = await client.fetch("/api/tasks/text-to-video", {
      method: "POST",
      headers: { origin: evilOrigin, "sec-fetch-site": "same-site", "content-type": "application/json" },
      body: task,
    });
    expect(res.status).toBe(403);
    expect(await counts(client)).toEqual(before);
  });

  it("Sec-Fetch-Site: same-origin is accepted, same-site / cross-site / none without our Origin are not", async () => {
    const { client } = await signedInClient(base);
    const before = await counts(client);
    for (const site of [undefined, "same-site", "cross-site", "none"]) {
      const headers: Record<string, string> = { origin: "", "content-type": "application/json" };
      if (site) headers["sec-fetch-site"] = site;
      const res = await client.fetch("/api/tasks/text-to-video", { method: "POST", headers: stripEmpty(headers), body: task });
      expect(res.status, String(site)).toBe(403);
    }
    expect(await counts(client)).toEqual(before);
    const ok = await client.fetch("/api/tasks/text-to-video", {
      method: "POST",
      headers: stripEmpty({ origin: "", "sec-fetch-site": "same-origin", "content-type": "application/json" }),
      body: task,
    });
    expect(ok.status).toBe(201);
    // The browser's own word wins over a host-name mismatch (the app opened as localhost, APP_URL on 127.0.0.1).
    const otherName = await client.fetch("/api/tasks/text-to-video", {
      method: "POST",
      headers: { origin: base.replace("127.0.0.1", "localhost"), "sec-fetch-site": "same-origin", "content-type": "application/json" },
      body: task,
    });
    expect(otherName.status).toBe(201);
  });

  it("from the app's origin a non-JSON body is 415, JSON is accepted", async () => {
    const { client } = await signedInClient(base);
    const before = await counts(client);
    const plain = await client.fetch("/api/tasks/text-to-video", {
      method: "POST",
      headers: { origin: appOrigin, "content-type": "text/plain" },
      body: task,
    });
    expect(plain.status).toBe(415);
    expect((await plain.json()).code).toBe(415);
    expect(await counts(client)).toEqual(before);
    const json = await client.postJson("/api/tasks/text-to-video", task, { origin: appOrigin });
    expect(json.status).toBe(201);
  });

  it("requests without the session cookie are not origin-checked: signed webhooks and the bearer cron route work", async () => {
    const res = await fetch(`${base}/api/stripe/webhook`, { method: "POST", body: "{}", headers: { origin: evilOrigin } });
    expect(res.status).toBe(400); // reaches signature verification, not the origin check
    const anon = await fetch(`${base}/api/tasks/text-to-video`, {
      method: "POST",
      body: task,
      headers: { origin: evilOrigin, "content-type": "application/json" },
    });
    expect(anon.status).toBe(401);
  });
});

/** `origin: ""` makes TestClient send no Origin header at all. */
const stripEmpty = (headers: Record<string, string>) => headers;
