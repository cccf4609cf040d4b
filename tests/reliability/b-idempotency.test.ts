// (b) 50 concurrent requests with one Idempotency-Key: one task, one charge.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textToVideoCost } from "@/tasks/text-to-video/input";
import { api, balanceOf, creditsVerify, query, signUpUsers, startFreshApp, type FreshApp, type SignedInUser } from "./harness";

describe("(b) 50 concurrent requests with one Idempotency-Key", () => {
  let app: FreshApp;
  let user: SignedInUser;
  let other: SignedInUser;

  beforeAll(async () => {
    app = await startFreshApp({ prefix: "rel_b" });
    [user, other] = await signUpUsers(app, 2, "rel-b");
  });
  afterAll(async () => app?.close());

  it("creates one task and charges once", async () => {
    const before = await balanceOf(app.url, user.cookie);
    const key = `idem-${Date.now()}`;
    const body = { prompt: "one task, however many times you ask", seconds: 3, aspectRatio: "portrait" };
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        api(app.url, "POST", "/api/tasks/text-to-video", { cookie: user.cookie, body, headers: { "Idempotency-Key": key } }),
      ),
    );
    expect(results.filter((r) => r.status >= 300).map((r) => `${r.status} ${r.text.slice(0, 200)}`)).toEqual([]);
    const uuids = new Set(results.map((r) => r.body?.data?.task?.uuid));
    expect(uuids.size).toBe(1);
    const [uuid] = [...uuids];
    expect(typeof uuid).toBe("string");

    const cost = textToVideoCost(3, "portrait");
    expect(await balanceOf(app.url, user.cookie)).toBe(before - cost);
    const tasks = await query<{ uuid: string; credits_trans_no: string }>(
      app,
      sql`SELECT uuid, credits_trans_no FROM tasks WHERE user_uuid = ${user.userUuid}`,
    );
    expect(tasks.map((t) => t.uuid)).toEqual([uuid]);
    const debits = await query<{ trans_no: string; credits: number }>(
      app,
      sql`SELECT trans_no, credits FROM credits WHERE user_uuid = ${user.userUuid} AND trans_type = 'task_text_to_video'`,
    );
    expect(debits).toEqual([{ trans_no: tasks[0].credits_trans_no, credits: -cost }]);

    // A later repeat still answers the same task and charges nothing more.
    const again = await api(app.url, "POST", "/api/tasks/text-to-video", { cookie: user.cookie, body, headers: { "Idempotency-Key": key } });
    expect(again.body?.data?.task?.uuid).toBe(uuid);
    expect(await balanceOf(app.url, user.cookie)).toBe(before - cost);

    // The key belongs to its user: the same key from someone else is a new task of theirs.
    const theirs = await api(app.url, "POST", "/api/tasks/text-to-video", { cookie: other.cookie, body, headers: { "Idempotency-Key": key } });
    expect(theirs.status).toBeLessThan(300);
    expect(theirs.body?.data?.task?.uuid).not.toBe(uuid);

    const verify = await creditsVerify(app.databaseUrl);
    expect(verify.code, verify.output).toBe(0);
  });
});
