// (h) Issue 26, item 3: an unauthenticated flood of made-up tokens slowed everyone. Found:
// 16 clients posting random tokens to /api/auth/password/reset for 15 s (437 requests, all
// 400, none 429): sign-in median 69 -> 1,490 ms, task creation 9 -> 272 ms; the reset ran
// scrypt before looking the token up, and the route had no limit.
// Reproduced the same way against a production build on PostgreSQL with the default
// limits: sign-in and task-creation medians measured quietly, then again during the flood,
// in the same run; each must stay under 2x its quiet figure. (What holds it: the token is
// looked up before any hashing, a refusal waits TOKEN_REFUSAL_DELAY_MS on a timer, and past
// TOKEN_RATE_LIMIT_GLOBAL the request guard answers 429 before Next.js, held up to 1 s.)
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/http-client";
import { api, signUpUsers, startFreshApp, type FreshApp, type SignedInUser } from "./harness";

const FLOOD_CLIENTS = 16;
const FLOOD_MS = 15_000;
const PASSWORD = "correct horse battery"; // signUpUsers' accounts (signedInClient's default)

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe("(h) a flood of random tokens on the token routes", () => {
  let app: FreshApp;
  let users: SignedInUser[];
  let next = 0;

  beforeAll(async () => {
    app = await startFreshApp({ prefix: "rel_h" });
    // 50 welcome credits each, 4 per task: enough accounts for every task measured below.
    users = await signUpUsers(app, 8, "rel-h");
  });
  afterAll(async () => app?.close());

  async function timeSignIn(): Promise<number> {
    const user = users[next++ % users.length];
    const client = new TestClient(app.url);
    const started = performance.now();
    await client.signIn(user.email, PASSWORD);
    const ms = performance.now() - started;
    expect(client.hasSession()).toBe(true);
    return ms;
  }

  let taskIndex = 0;
  async function timeTask(): Promise<number> {
    const user = users[taskIndex++ % users.length];
    const started = performance.now();
    const res = await api(app.url, "POST", "/api/tasks/text-to-video", {
      cookie: user.cookie,
      body: { prompt: `flood probe ${taskIndex}`, seconds: 2, aspectRatio: "square" },
    });
    const ms = performance.now() - started;
    expect(res.status, res.text).toBe(201);
    return ms;
  }

  /** Alternating sign-ins and task creations until `until`, at most `max` of each. */
  async function measure(until: number, max: number) {
    const signIn: number[] = [];
    const task: number[] = [];
    while (Date.now() < until && (signIn.length < max || task.length < max)) {
      if (signIn.length < max) signIn.push(await timeSignIn());
      if (task.length < max) task.push(await timeTask());
      await new Promise((r) => setTimeout(r, 250));
    }
    return { signIn, task };
  }

  it("sign-in and task-creation medians move by less than 2x; the flood is answered 400/429 cheaply, never 5xx", async () => {
    // Warm up (first requests compile routes, open pool connections), then the quiet figures.
    await timeSignIn();
    await timeTask();
    const quiet = await measure(Date.now() + 20_000, 12);

    const statuses = new Map<number, number>();
    const floodEnds = Date.now() + FLOOD_MS;
    const flood = Array.from({ length: FLOOD_CLIENTS }, async (_, i) => {
      const path = i % 4 === 3 ? "/api/auth/verify-email" : "/api/auth/password/reset";
      while (Date.now() < floodEnds) {
        const token = crypto.randomBytes(32).toString("base64url");
        const body = path.endsWith("reset") ? { token, password: "an-attacker-picked-phrase-52" } : { token };
        const res = await fetch(`${app.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${i + 1}` },
          body: JSON.stringify(body),
        }).catch(() => null);
        const status = res?.status ?? 0;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        await res?.arrayBuffer().catch(() => undefined);
      }
    });
    // Let the flood build up before measuring under it.
    await new Promise((r) => setTimeout(r, 1_000));
    const loaded = await measure(floodEnds, 12);
    await Promise.all(flood);

    const figures = {
      signIn: { quiet: median(quiet.signIn), flood: median(loaded.signIn) },
      task: { quiet: median(quiet.task), flood: median(loaded.task) },
    };
    const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(
      `[h] flood: ${requests} requests in ${FLOOD_MS / 1000} s from ${FLOOD_CLIENTS} clients, statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `sign-in median ${figures.signIn.quiet.toFixed(0)} -> ${figures.signIn.flood.toFixed(0)} ms (${quiet.signIn.length}/${loaded.signIn.length} samples), ` +
        `task creation ${figures.task.quiet.toFixed(0)} -> ${figures.task.flood.toFixed(0)} ms (${quiet.task.length}/${loaded.task.length} samples)`,
    );
    // Every answer a refusal (400 for the made-up token, 429 once the limit is spent), none failed.
    expect([...statuses.keys()].filter((s) => s !== 400 && s !== 429)).toEqual([]);
    expect(requests).toBeGreaterThan(FLOOD_CLIENTS);
    expect(loaded.signIn.length).toBeGreaterThanOrEqual(5);
    expect(loaded.task.length).toBeGreaterThanOrEqual(5);
    expect(figures.signIn.flood).toBeLessThan(2 * figures.signIn.quiet);
    expect(figures.task.flood).toBeLessThan(2 * figures.task.quiet);
  });
});
