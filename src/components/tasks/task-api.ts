/** The browser side of the task API: one call, the envelope, and the errors a user can act on. */
import { apiFetch } from "@/lib/http/api-client";
import type { TaskDto } from "@/services/tasks/queries";

export type TaskErrorState =
  | { kind: "insufficient"; required: number; balance: number }
  | { kind: "rateLimited"; seconds: number }
  | { kind: "invalid"; field: string }
  | { kind: "reused" | "unauthorized" | "notFound" | "forbidden" | "network" | "generic" };

/** Calls an API route (src/lib/http/api-client.ts); answers the envelope's data or a TaskErrorState. */
export async function callTaskApi<T>(path: string, init?: RequestInit): Promise<{ data: T } | { error: TaskErrorState }> {
  const res = await apiFetch<T>(path, init);
  if (res.ok) return res.data ? { data: res.data } : { error: { kind: "generic" } };
  const details = res.details ?? {};
  switch (res.status) {
    case 0:
      return { error: { kind: "network" } };
    case 402:
      return { error: { kind: "insufficient", required: Number(details.required ?? 0), balance: Number(details.balance ?? 0) } };
    case 429:
      return { error: { kind: "rateLimited", seconds: res.retryAfterSeconds ?? 60 } };
    case 400:
      return { error: { kind: "invalid", field: res.field ?? "body" } };
    case 422:
      return { error: { kind: "reused" } };
    case 401:
      return { error: { kind: "unauthorized" } };
    case 403:
      return { error: { kind: "forbidden" } };
    case 404:
      return { error: { kind: "notFound" } };
    default:
      return { error: { kind: "generic" } };
  }
}

/** crypto.randomUUID needs a secure context; plain-http LAN previews fall back to getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export const isRunning = (task: Pick<TaskDto, "status"> | null | undefined) => task?.status === "queued" || task?.status === "running";

export const taskPath = (uuid: string) => `/api/tasks/${encodeURIComponent(uuid)}`;
