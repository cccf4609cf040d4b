// (a) 500 concurrent task creations from 10 users with limited balances: no
// balance below zero, successes exactly what each balance allows, ledger clean.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textToVideoCost } from "@/tasks/text-to-video/input";
import { api, balanceOf, creditsVerify, query, signUpUsers, startFreshApp, type FreshApp, type SignedInUser } from "./harness";

const USERS = 10;
const PER_USER = 50;

describe("(a) 500 concurrent task creations from 10 users with limited balances", () => {
  let app: FreshApp;
  let users: SignedInUser[];

  beforeAll(async () => {
    app = await startFreshApp({ prefix: "rel_a", env: { TEXT2VIDEO_MOCK_DELAY_MS: "2000" } });
    users = await signUpUsers(app, USERS, "rel-a");
  });
  afterAll(async () => app?.close());

  it("charges exactly what the balances allow, never below zero", async () => {
    // Each user asks for a different length, so each has a different price and allowance.
    const plans = await Promise.all(
      users.map(async (u, i) => {
        const seconds = 1 + (i % 10);
        const cost = textToVideoCost(seconds, "landscape");
        const before = await balanceOf(app.url, u.cookie);
        return { user: u, seconds, cost, before, allowed: Math.min(PER_USER, Math.floor(before / cost)) };
      }),
    );
    expect(plans.every((p) => p.before > 0)).toBe(true);

    const requests = plans.flatMap((p) =>
      Array.from({ length: PER_USER }, (_, k) => ({ plan: p, body: { prompt: `race ${k} for ${p.user.email}`, seconds: p.seconds, aspectRatio: "landscape" } })),
    );
    // Interleave the users so their requests really overlap.
    requests.sort(() => Math.random() - 0.5);
    const results = await Promise.all(
      requests.map(async (r) => ({ r, res: await api(app.url, "POST", "/api/tasks/text-to-video", { cookie: r.plan.user.cookie, body: r.body }) })),
    );

    const unexpected = results.filter(({ res }) => !(res.status === 200 || res.status === 201 || res.status === 402));
    expect(unexpected.map(({ res }) => `${res.status} ${res.text.slice(0, 200)}`)).toEqual([]);

    for (const p of plans) {
      const mine = results.filter(({ r }) => r.plan === p);
      const won = mine.filter(({ res }) => res.status < 300);
      const refused = mine.filter(({ res }) => res.status === 402);
      expect(won.length, `successes for a balance of ${p.before} at ${p.cost} each`).toBe(p.allowed);
      expect(refused.length).toBe(PER_USER - p.allowed);
      for (const { res } of refused) {
        expect(res.body).toMatchObject({ code: 402, message: "insufficient credits" });
      }
      const after = await balanceOf(app.url, p.user.cookie);
      expect(after).toBe(p.before - p.allowed * p.cost);
      expect(after).toBeGreaterThanOrEqual(0);
      if (p.allowed < PER_USER) expect(after).toBeLessThan(p.cost);

      const [row] = await query<{ tasks: number; debits: number; debited: number }>(
        app,
        sql`SELECT (SELECT count(*)::int FROM tasks WHERE user_uuid = ${p.user.userUuid}) AS tasks,
                   (SELECT count(*)::int FROM credits WHERE user_uuid = ${p.user.userUuid} AND trans_type = 'task_text_to_video') AS debits,
                   (SELECT coalesce(-sum(credits), 0)::int FROM credits WHERE user_uuid = ${p.user.userUuid} AND trans_type = 'task_text_to_video') AS debited`,
      );
      expect(row).toEqual({ tasks: p.allowed, debits: p.allowed, debited: p.allowed * p.cost });
    }
    // The allowances must make some requests lose, or the test proves nothing.
    expect(results.filter(({ res }) => res.status === 402).length).toBeGreaterThan(100);

    const negative = await query(app, sql`SELECT trans_no FROM credit_grants WHERE remaining < 0`);
    expect(negative).toEqual([]);
    const verify = await creditsVerify(app.databaseUrl);
    expect(verify.output).toContain("ledger consistent");
    expect(verify.code).toBe(0);
  });
});
