"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import useSWR, { useSWRConfig } from "swr";
import { toastSuccess } from "@/components/ui/toast";
import { useRouter } from "@/i18n/client-navigation";
import type { TaskDto } from "@/services/tasks/queries";
import { clearDraft } from "./draft-key";
import { callTaskApi, isRunning, newIdempotencyKey, taskPath, type TaskErrorState } from "./task-api";
import { useTaskEvents } from "./use-task-events";

/** How often a running task is re-read while its live stream is not open. */
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
 * puts ?task=<uuid> into the URL (a reload or Back resumes, the form filled with its input), follows the task live
 * (server-sent events, falling back to SWR polling while the stream is not open) until
 * it finishes, and re-renders the server components (page and header balance) when a
 * task starts, finishes, or a submit is refused for want of credits.
 *
 * `balance` is the balance the page shows: an "insufficient credits" answer stands only
 * until a newer balance arrives (then the page's own cost check takes over).
 */
export function useTaskRunner({ slug, initialTask, balance }: { slug: string; initialTask: TaskDto | null; balance: number | null }) {
  const router = useRouter();
  const t = useTranslations("tasks.runner");
  const { mutate: mutateKey } = useSWRConfig();
  const [uuid, setUuid] = useState<string | null>(initialTask?.uuid ?? null);
  const [failure, setFailure] = useState<{ error: TaskErrorState; balance: number | null } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // Bumped on each new task: the page brings its status into view.
  const [started, setStarted] = useState(0);
  // One key per intended task: a retry after a network error cannot charge twice.
  const idempotencyKey = useRef<string | null>(null);

  const { data: task, mutate } = useSWR<TaskDto>(uuid ? taskPath(uuid) : null, fetchTask, {
    fallbackData: initialTask && initialTask.uuid === uuid ? initialTask : undefined,
    refreshInterval: (latest) => (isRunning(latest) && !liveRef.current ? POLL_MS : 0),
    revalidateOnFocus: false,
    shouldRetryOnError: true,
  });

  const onEvent = useCallback((next: TaskDto) => void mutate(next, { revalidate: false }), [mutate]);
  const live = useTaskEvents(uuid && isRunning(task) ? uuid : null, onEvent);
  const liveRef = useRef(live);
  useEffect(() => {
    liveRef.current = live;
  }, [live]);

  // The balance shown comes from the server: re-render it when a task finishes (refunds).
  const wasRunning = useRef(isRunning(task));
  useEffect(() => {
    const running = isRunning(task);
    if (wasRunning.current && !running) router.refresh();
    wasRunning.current = running;
  }, [task, router]);

  const submit = useCallback(
    async (body: unknown) => {
      setFailure(null);
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
        setFailure({ error: result.error, balance });
        // The balance moved since the page was drawn: show the new one (here and in the header).
        if (result.error.kind === "insufficient") router.refresh();
        return;
      }
      idempotencyKey.current = null;
      // A draft kept through sign-up (./draft.ts) has become this task.
      clearDraft(slug);
      const created = result.data.task;
      wasRunning.current = isRunning(created);
      await mutateKey(taskPath(created.uuid), created, { revalidate: false });
      setUuid(created.uuid);
      setStarted((n) => n + 1);
      toastSuccess(t("started"));
      // ?task=<uuid>: a reload or Back comes back to this task; the refresh re-renders the
      // balances (the header's too, which a navigation keeps). Not history.replaceState: Next.js
      // then scrolled the page to the top mid-way through bringing the task's status into view.
      const url = new URL(window.location.href);
      url.searchParams.set("task", created.uuid);
      router.replace(`${url.pathname}${url.search}${url.hash}`, { scroll: false });
      router.refresh();
    },
    [slug, mutateKey, router, balance, t],
  );

  // An insufficient-credits answer is about the balance it was given against.
  const error = failure && !(failure.error.kind === "insufficient" && failure.balance !== balance) ? failure.error : null;
  return { task: uuid ? (task ?? null) : null, error, submitting, started, submit };
}
