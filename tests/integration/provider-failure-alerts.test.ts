// Operator alerts for provider failure spikes: when a task type's provider fails (provider
// errors, not the user's) often enough in the window, one alert reaches the operator's
// webhook (a local HTTP receiver) — once per spike, however many rounds or instances see it.
import crypto from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { tasks } from "@/db/schema";
import { PROVIDER_FAILURE_ALERT } from "@/data/alerts";
import { resetEnvCache } from "@/lib/env";
import type { ProviderErrorCode } from "@/lib/provider-errors";
import { alertProviderFailureSpikes } from "@/services/notify/provider-failures";
import { failTask } from "@/services/tasks/lifecycle";
import { runBackgroundRound } from "@/services/tasks/sweeper";
import { startAlertReceiver, type AlertReceiver } from "../support/alert-receiver";
import { insertUser } from "../support/fixtures";

let alerts: AlertReceiver;
let user: string;
const saved = process.env.ALERT_WEBHOOK_URL;
beforeAll(async () => {
  alerts = await startAlertReceiver();
  process.env.ALERT_WEBHOOK_URL = alerts.url;
  resetEnvCache();
  user = await insertUser();
});
afterAll(async () => {
  if (saved === undefined) delete process.env.ALERT_WEBHOOK_URL;
  else process.env.ALERT_WEBHOOK_URL = saved;
  resetEnvCache();
  await alerts.close();
});

/** A running task of `provider`, then failed through the lifecycle with `code` (or succeeded). */
async function finishedTask(provider: string, outcome: ProviderErrorCode | "succeeded") {
  const uuid = crypto.randomUUID();
  await getDb().insert(tasks).values({ uuid, userUuid: user, type: "text_to_image", status: "running", creditsUsed: 1, userInput: "{}", provider, providerJobId: `job-${uuid}` });
  if (outcome === "succeeded") {
    await getDb().update(tasks).set({ status: "succeeded", completedAt: sql`now()` }).where(eq(tasks.uuid, uuid));
  } else {
    expect(await failTask(uuid, `provider said ${outcome}`, getDb(), { errorCode: outcome })).not.toBeNull();
  }
  return uuid;
}
const many = (n: number, provider: string, outcome: ProviderErrorCode | "succeeded") =>
  Promise.all(Array.from({ length: n }, () => finishedTask(provider, outcome)));
const alertsFor = (provider: string) => alerts.received.filter((a) => a.text.startsWith("[provider_failures]") && a.text.includes(`"${provider}"`));

describe("provider failure spikes", () => {
  it("the background round alerts once per spike, not per task or per round", async () => {
    const provider = `spiky-${crypto.randomUUID().slice(0, 8)}`;
    await many(2, provider, "succeeded");
    await many(PROVIDER_FAILURE_ALERT.minFailures - 1, provider, "provider_unavailable");
    await runBackgroundRound({ idleMs: 0, expire: true });
    expect(alertsFor(provider)).toHaveLength(0); // below the threshold
    await finishedTask(provider, "timed_out");
    const round = await runBackgroundRound({ idleMs: 0, expire: true });
    expect(round.providerAlerts?.alerted).toEqual([{ type: "text_to_image", provider, failures: 5, finished: 7 }]);
    await many(3, provider, "provider_unavailable");
    await runBackgroundRound({ idleMs: 0, expire: true });
    // Several instances checking at once.
    await Promise.all(Array.from({ length: 5 }, () => alertProviderFailureSpikes()));
    expect(alertsFor(provider)).toHaveLength(1);
    expect(alertsFor(provider)[0].text).toContain("5 of 7 text_to_image tasks");
  });

  it("user errors (content rejected) do not count", async () => {
    const provider = `strict-${crypto.randomUUID().slice(0, 8)}`;
    await many(10, provider, "content_rejected");
    expect((await alertProviderFailureSpikes()).alerted.filter((s) => s.provider === provider)).toEqual([]);
  });

  it("a few failures among many successes are no spike; failures older than the window do not count", async () => {
    const busy = `busy-${crypto.randomUUID().slice(0, 8)}`;
    await many(PROVIDER_FAILURE_ALERT.minFailures, busy, "provider_unavailable");
    await many(PROVIDER_FAILURE_ALERT.minFailures * 2, busy, "succeeded");
    const old = `old-${crypto.randomUUID().slice(0, 8)}`;
    await many(PROVIDER_FAILURE_ALERT.minFailures + 2, old, "internal");
    await getDb()
      .update(tasks)
      .set({ completedAt: sql`now() - make_interval(mins => ${PROVIDER_FAILURE_ALERT.windowMinutes + 1})` })
      .where(eq(tasks.provider, old));
    const { alerted } = await alertProviderFailureSpikes();
    expect(alerted.filter((s) => s.provider === busy || s.provider === old)).toEqual([]);
  });

  it("a new spike after the cooldown alerts again", async () => {
    const provider = `flaky-${crypto.randomUUID().slice(0, 8)}`;
    await many(PROVIDER_FAILURE_ALERT.minFailures, provider, "invalid_output");
    expect((await alertProviderFailureSpikes()).alerted.map((s) => s.provider)).toContain(provider);
    expect((await alertProviderFailureSpikes()).alerted.map((s) => s.provider)).not.toContain(provider);
    await getDb().execute(
      sql`UPDATE rate_limits SET window_start = now() - make_interval(mins => ${PROVIDER_FAILURE_ALERT.cooldownMinutes + 1}) WHERE key = ${`alert:provider_failures:text_to_image:${provider}`}`,
    );
    expect((await alertProviderFailureSpikes()).alerted.map((s) => s.provider)).toContain(provider);
    expect(alertsFor(provider)).toHaveLength(2);
  });
});
