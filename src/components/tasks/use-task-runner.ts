"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import useSWR, { useSWRConfig } from "swr";
import { usePathname, useRouter } from "@/i18n/navigation";
import type { TaskDto } from "@/services/tasks/queries";
import { callTaskApi, isRunning, newIdempotencyKey, taskPath, type TaskErrorState } from "./task-api";

/** How often a running task is re-read. */
const POLL_MS = 1000;

class TaskFetchError extends Error {
  constructor(readonly state: TaskErrorState) {
    super(state.kind);
  }
}

async function fetchTask(path: string): Promise<TaskDto> {
  const result = await callTaskApi<{ task: TaskDto }>(path);
  if ("error" in result) throw new TaskFetchError(result.error);
  return result.data.task;
}

/**
 * "Submit a task and follow it", for any task type: POSTs the body to
 * /api/tasks/<slug> with an Idempotency-Key (kept across retries of a lost response),
 * puts ?task=<uuid> into the URL (a reload or Back resumes), follows the task with SWR
 * until it finishes, and re-renders the server page (balance) when it does.
 */
export function useTaskRunner({ slug, initialTask }: { slug: string; initialTask: TaskDto | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const { mutate: mutateKey } = useSWRConfig();
  const [uuid, setUuid] = useState<string | null>(initialTask?.uuid ?? null);
  const [error, setError] = useState<TaskErrorState | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  // One key per intended task: a retry after a network error cannot charge twice.
  const idempotencyKey = useRef<string | null>(null);

  const { data: task, mutate } = useSWR<TaskDto>(uuid ? taskPath(uuid) : null, fetchTask, {
    fallbackData: initialTask && initialTask.uuid === uuid ? initialTask : undefined,
    refreshInterval: (latest) => (isRunning(latest) ? POLL_MS : 0),
    revalidateOnFocus: false,
    // Polling errors are not shown (the next poll may succeed); a manual refresh shows them.
    shouldRetryOnError: true,
  });

  // The balance shown comes from the server: re-render it when a task finishes (refunds).
  const wasRunning = useRef(isRunning(task));
  useEffect(() => {
    const running = isRunning(task);
    if (wasRunning.current && !running) router.refresh();
    wasRunning.current = running;
  }, [task, router]);

  const submit = useCallback(
    async (body: unknown) => {
      setError(null);
      setSubmitting(true);
      idempotencyKey.current ??= newIdempotencyKey();
      const result = await callTaskApi<{ task: TaskDto }>(`/api/tasks/${slug}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey.current },
        body: JSON.stringify(body),
      });
      setSubmitting(false);
      if ("error" in result) {
        // Only a lost response may be retried with the same key; any answer ends this attempt.
        if (result.error.kind !== "network") idempotencyKey.current = null;
        setError(result.error);
        return;
      }
      idempotencyKey.current = null;
      const created = result.data.task;
      wasRunning.current = isRunning(created);
      await mutateKey(taskPath(created.uuid), created, { revalidate: false });
      setUuid(created.uuid);
      // ?task=<uuid>: a reload or Back comes back to this task. Re-renders the page (balance).
      router.replace({ pathname, query: { task: created.uuid } }, { scroll: false });
    },
    [slug, mutateKey, router, pathname],
  );

  const refresh = useCallback(async () => {
    if (!uuid) return;
    setError(null);
    setRefreshing(true);
    try {
      await mutate(fetchTask(taskPath(uuid)), { revalidate: false });
    } catch (e) {
      setError(e instanceof TaskFetchError ? e.state : { kind: "generic" });
    } finally {
      setRefreshing(false);
    }
  }, [uuid, mutate]);

  return { task: uuid ? (task ?? null) : null, error, submitting, refreshing, submit, refresh };
}
