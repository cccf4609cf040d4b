// (c) The server is killed with SIGKILL while 50 tasks run, then started again on
// the same database: every task ends succeeded or failed, and every failed task
// is refunded exactly once (one refund row each, none for succeeded tasks).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, balanceOf, creditsVerify, query, signUpUsers, startFreshApp, waitFor, type FreshApp, type SignedInUser } from "./harness";

const TASKS = 50;

interface TaskRow {
  uuid: string;
  user_uuid: string;
  status: string;
  credits_used: number;
  credits_trans_no: string;
  refund_trans_no: string | null;
  error_message: string | null;
  user_input: string;
}

describe("(c) SIGKILL while 50 tasks run, then restart", () => {
  let app: FreshApp;
  let users: SignedInUser[];

  beforeAll(async () => {
    app = await startFreshApp({
      prefix: "rel_c",
      // Tasks take a few seconds; one the restarted server cannot finish times out quickly.
      env: { TEXT2VIDEO_MOCK_DELAY_MS: "4000", TASK_TIMEOUT_MS: "20000", TASK_SWEEP_INTERVAL_MS: "500" },
    });
    users = await signUpUsers(app, 5, "rel-c");
  });
  afterAll(async () => app?.close());

  it("finishes every task and refunds each failed one exactly once", async () => {
    const before = new Map<string, number>();
    for (const u of users) before.set(u.userUuid, await balanceOf(app.url, u.cookie));

    const created = await Promise.all(
      Array.from({ length: TASKS }, (_, i) => {
        const u = users[i % users.length];
        // Every fourth task is asked to fail, so refunds happen whatever the kill does.
        const prompt = i % 4 === 0 ? `mock:fail crash test ${i}` : `crash test ${i}`;
        return api(app.url, "POST", "/api/tasks/text-to-video", { cookie: u.cookie, body: { prompt, seconds: 2, aspectRatio: "square" } });
      }),
    );
    expect(created.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.text.slice(0, 200)}`)).toEqual([]);

    await waitFor("a task to be running", async () => {
      const [r] = await query<{ n: number }>(app, sql`SELECT count(*)::int AS n FROM tasks WHERE status = 'running'`);
      return r.n > 0;
    }, 15_000, 50);
    await app.server().stop("SIGKILL");
    const [atKill] = await query<{ unfinished: number }>(
      app,
      sql`SELECT count(*)::int AS unfinished FROM tasks WHERE status IN ('queued', 'running')`,
    );
    // The kill must interrupt work in flight, or this proves nothing.
    expect(atKill.unfinished).toBeGreaterThanOrEqual(TASKS / 2);

    await app.restart();
    await waitFor("every task to finish after the restart", async () => {
      const [r] = await query<{ n: number }>(app, sql`SELECT count(*)::int AS n FROM tasks WHERE status NOT IN ('succeeded', 'failed')`);
      return r.n === 0;
    }, 90_000, 500);

    const tasks = await query<TaskRow>(
      app,
      sql`SELECT uuid, user_uuid, status, credits_used, credits_trans_no, refund_trans_no, error_message, user_input FROM tasks`,
    );
    expect(tasks).toHaveLength(TASKS);
    const refunds = await query<{ trans_no: string; ref_trans_no: string | null; task_uuid: string | null; credits: number }>(
      app,
      sql`SELECT trans_no, ref_trans_no, task_uuid, credits FROM credits WHERE trans_type = 'refund'`,
    );
    const failed = tasks.filter((t) => t.status === "failed");
    const succeeded = tasks.filter((t) => t.status === "succeeded");
    expect(failed.length + succeeded.length).toBe(TASKS);
    // Tasks that asked to fail did fail.
    for (const t of tasks.filter((t) => t.user_input.includes("mock:fail"))) expect(t.status).toBe("failed");

    for (const t of tasks) {
      const mine = refunds.filter((r) => r.ref_trans_no === t.credits_trans_no);
      if (t.status === "failed") {
        expect(mine, `refunds of failed task ${t.uuid}`).toHaveLength(1);
        expect(mine[0].credits).toBe(t.credits_used);
        expect(t.refund_trans_no).toBe(mine[0].trans_no);
        expect(t.error_message).toBeTruthy();
      } else {
        expect(mine, `refunds of succeeded task ${t.uuid}`).toHaveLength(0);
        expect(t.refund_trans_no).toBeNull();
      }
    }
    expect(refunds).toHaveLength(failed.length);

    for (const u of users) {
      const spent = succeeded.filter((t) => t.user_uuid === u.userUuid).reduce((s, t) => s + t.credits_used, 0);
      expect(await balanceOf(app.url, u.cookie)).toBe(before.get(u.userUuid)! - spent);
    }
    const verify = await creditsVerify(app.databaseUrl);
    expect(verify.code, verify.output).toBe(0);
  });
});
