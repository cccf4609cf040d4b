import crypto from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { credits, tasks } from "@/db/schema";
import { getUserCredits, grantCredits } from "@/services/credits/ledger";
import type { Background } from "@/services/tasks";
import { insertUser } from "./fixtures";

/** Collects background submissions so a test can wait for them. */
export function collector() {
  const jobs: Promise<unknown>[] = [];
  const background: Background = (job) => {
    jobs.push(job());
  };
  return { background, settle: () => Promise.all(jobs) };
}

export async function userWith(creditsToGrant: number): Promise<string> {
  const u = await insertUser(`t-${crypto.randomUUID()}@example.com`);
  if (creditsToGrant > 0) await grantCredits({ userUuid: u, credits: creditsToGrant, transType: "system_add", validityDays: 30 });
  return u;
}

export const balanceOf = async (u: string) => (await getUserCredits(u)).balance;
export const taskCount = async (u: string) =>
  (await getDb().select({ n: count() }).from(tasks).where(eq(tasks.userUuid, u)))[0].n;
export const ledgerCount = async (u: string) =>
  (await getDb().select({ n: count() }).from(credits).where(eq(credits.userUuid, u)))[0].n;
export const refundsOf = async (taskUuid: string) =>
  (await getDb().select({ n: count() }).from(credits).where(and(eq(credits.taskUuid, taskUuid), eq(credits.transType, "refund"))))[0].n;
