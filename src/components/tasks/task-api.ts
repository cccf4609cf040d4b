/** The browser side of the task API: one call, the envelope, and the errors a user can act on. */
import type { TaskDto } from "@/services/tasks/queries";

export type TaskErrorState =
  | { kind: "insufficient"; required: number; balance: number }
  | { kind: "rateLimited"; seconds: number }
  | { kind: "invalid"; field: string }
  | { kind: "reused" | "unauthorized" | "notFound" | "forbidden" | "network" | "generic" };

interface Envelope<T> {
  code: number;
  message: string;
  data: T | null;
}

/** Calls an API route; answers the envelope's data or a TaskErrorState. */
export async function callTaskApi<T>(path: string, init?: RequestInit): Promise<{ data: T } | { error: TaskErrorState }> {
  let res: Response;
  let body: Envelope<T> | null = null;
  try {
    res = await fetch(path, { ...init, cache: "no-store" });
    body = (await res.json().catch(() => null)) as Envelope<T> | null;
  } catch {
    return { error: { kind: "network" } };
  }
  if (res.ok && body?.code === 0 && body.data) return { data: body.data };
  const details = (body?.data ?? {}) as Record<string, unknown>;
  switch (res.status) {
    case 402:
      return { error: { kind: "insufficient", required: Number(details.required ?? 0), balance: Number(details.balance ?? 0) } };
    case 429:
      return { error: { kind: "rateLimited", seconds: Number(details.retryAfterSeconds ?? res.headers.get("retry-after") ?? 60) } };
    case 400:
      return { error: { kind: "invalid", field: String(details.field ?? "body") } };
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
