// (i) The server is killed with SIGKILL while chat replies stream: their holds stay open
// (nothing settled, nothing charged), and once they expire the restarted server's sweeper
// releases them. Nothing is lost: every credit is spendable again, credits:verify is clean.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { balanceOf, creditsVerify, query, signUpUsers, startFreshApp, waitFor, type FreshApp, type SignedInUser } from "./harness";

const HOLD_TTL_SECONDS = 15;

describe("(i) SIGKILL while chat replies stream, then restart", () => {
  let app: FreshApp;
  let users: SignedInUser[];

  beforeAll(async () => {
    app = await startFreshApp({
      prefix: "rel_i",
      // Long replies (60 tokens x 200 ms), holds that expire soon, a sweeper that runs often;
      // a statement timeout a loaded two-core host does not hit while signing the users up.
      env: { CHAT_MOCK_TOKENS: "60", CHAT_MOCK_DELAY_MS: "200", CHAT_HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS), TASK_SWEEP_INTERVAL_MS: "500", DATABASE_STATEMENT_TIMEOUT_MS: "30000" },
    });
    users = await signUpUsers(app, 3, "rel-i");
  });
  afterAll(async () => app?.close());

  it("releases every open reply's hold after its expiry; nothing charged, nothing lost", async () => {
    const before = new Map<string, number>();
    for (const u of users) before.set(u.userUuid, await balanceOf(app.url, u.cookie));

    // Two replies per user, read until their first tokens arrive; the server dies mid-stream.
    const readers = await Promise.all(
      users.flatMap((u) =>
        [0, 1].map(async () => {
          const res = await fetch(`${app.url}/api/chat`, {
            method: "POST",
            headers: { "content-type": "application/json", cookie: u.cookie, origin: app.url },
            body: JSON.stringify({ id: crypto.randomUUID(), messages: [{ role: "user", parts: [{ type: "text", text: "a long answer, please" }] }] }),
          });
          expect(res.status).toBe(200);
          const reader = res.body!.getReader();
          let text = "";
          while (!text.includes('"text-delta"')) text += new TextDecoder().decode((await reader.read()).value);
          return reader;
        }),
      ),
    );
    const [open] = await query<{ n: number; held: number }>(app, sql`SELECT count(*)::int AS n, coalesce(sum(credits), 0)::int AS held FROM credit_holds WHERE status = 'held'`);
    expect(open.n).toBe(6);
    await app.server().stop("SIGKILL");
    for (const r of readers) await r.cancel().catch(() => {});

    const [atKill] = await query<{ n: number }>(app, sql`SELECT count(*)::int AS n FROM credit_holds WHERE status = 'held'`);
    expect(atKill.n).toBe(6); // nobody settled them: the process died
    // A restart does not guess what the dead process produced: the holds wait for their expiry.
    await app.restart();
    await waitFor("the sweeper to release the expired holds", async () => {
      const [r] = await query<{ n: number }>(app, sql`SELECT count(*)::int AS n FROM credit_holds WHERE status = 'held'`);
      return r.n === 0;
    }, (HOLD_TTL_SECONDS + 30) * 1000, 250);

    const holds = await query<{ status: string; settled_credits: number | null }>(app, sql`SELECT status, settled_credits FROM credit_holds`);
    expect(holds.map((h) => h.status)).toEqual(Array(6).fill("expired"));
    const [spends] = await query<{ n: number }>(app, sql`SELECT count(*)::int AS n FROM credits WHERE trans_type = 'chat'`);
    expect(spends.n).toBe(0);
    for (const u of users) expect(await balanceOf(app.url, u.cookie)).toBe(before.get(u.userUuid));
    // The interrupted replies (no text was saved, nothing charged) are removed with their
    // expired holds, as a failed reply with no text is; the users' messages stay.
    await waitFor("the sweeper to drop the interrupted replies", async () => {
      const [r] = await query<{ n: number }>(app, sql`SELECT count(*)::int AS n FROM chat_messages WHERE role = 'assistant'`);
      return r.n === 0;
    }, 30_000, 250);
    const replies = await query<{ role: string; n: number }>(app, sql`SELECT role, count(*)::int AS n FROM chat_messages GROUP BY role ORDER BY role`);
    expect(replies).toEqual([{ role: "user", n: 6 }]);
    const verify = await creditsVerify(app.databaseUrl);
    expect(verify.code, verify.output).toBe(0);
  });
});
