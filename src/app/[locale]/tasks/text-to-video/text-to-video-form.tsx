"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  ASPECT_RATIOS,
  TEXT2VIDEO_MAX_PROMPT_LENGTH,
  TEXT2VIDEO_MAX_SECONDS,
  TEXT2VIDEO_MIN_SECONDS,
  textToVideoCost,
  type AspectRatio,
} from "@/services/tasks/types/text-to-video/input";
import { Link, useRouter } from "@/i18n/navigation";
import type { TaskDto } from "@/services/tasks";
import { TaskProgress, TaskStatusBadge } from "../task-status";

const POLL_MS = 1000;

type ErrorState =
  | { kind: "insufficient"; required: number; balance: number }
  | { kind: "rateLimited"; seconds: number }
  | { kind: "invalid"; field: string }
  | { kind: "unauthorized" | "notFound" | "forbidden" | "network" | "generic" };

interface Envelope<T> {
  code: number;
  message: string;
  data: T | null;
}

/** Calls an API route; answers the envelope's data or an ErrorState. */
async function callApi<T>(path: string, init?: RequestInit): Promise<{ data: T } | { error: ErrorState }> {
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
function newKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

const isRunning = (task: TaskDto | null) => task?.status === "queued" || task?.status === "running";

export function TextToVideoForm({ balance, initialTask }: { balance: number; initialTask: TaskDto | null }) {
  const t = useTranslations("tasks");
  const router = useRouter();
  const [prompt, setPrompt] = useState("");
  const [seconds, setSeconds] = useState("5");
  const [aspectRatio, setAspectRatio] = useState<AspectRatio>("landscape");
  const [task, setTask] = useState<TaskDto | null>(initialTask);
  const taskRef = useRef<TaskDto | null>(initialTask);
  const [error, setError] = useState<ErrorState | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  // One key per intended task: a retry after a network error cannot charge twice.
  const idempotencyKey = useRef<string | null>(null);

  const secondsNumber = Number(seconds);
  const secondsValid =
    seconds.trim() !== "" && Number.isInteger(secondsNumber) && secondsNumber >= TEXT2VIDEO_MIN_SECONDS && secondsNumber <= TEXT2VIDEO_MAX_SECONDS;
  const cost = secondsValid ? textToVideoCost(secondsNumber, aspectRatio) : null;

  const refresh = useCallback(
    async (uuid: string, showErrors: boolean) => {
      const result = await callApi<{ task: TaskDto }>(`/api/tasks/${encodeURIComponent(uuid)}`);
      if ("error" in result) {
        if (showErrors) setError(result.error);
        return;
      }
      const wasRunning = isRunning(taskRef.current);
      taskRef.current = result.data.task;
      setTask(result.data.task);
      // The balance shown comes from the server: re-read it when a task finishes (refunds).
      if (wasRunning && !isRunning(result.data.task)) router.refresh();
    },
    [router],
  );

  // Polls while the task runs; stops by itself when it finishes.
  const runningUuid = isRunning(task) ? task!.uuid : null;
  useEffect(() => {
    if (!runningUuid) return;
    let inFlight = false;
    const timer = setInterval(() => {
      if (inFlight) return;
      inFlight = true;
      void refresh(runningUuid, false).finally(() => {
        inFlight = false;
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [runningUuid, refresh]);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setSubmitting(true);
    idempotencyKey.current ??= newKey();
    const result = await callApi<{ task: TaskDto }>("/api/tasks/text-to-video", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey.current },
      body: JSON.stringify({ prompt, seconds: secondsNumber, aspectRatio }),
    });
    setSubmitting(false);
    if ("error" in result) {
      // Only a lost response may be retried with the same key; any answer ends this attempt.
      if (result.error.kind !== "network") idempotencyKey.current = null;
      setError(result.error);
      return;
    }
    idempotencyKey.current = null;
    taskRef.current = result.data.task;
    setTask(result.data.task);
    router.refresh();
  }

  async function onRefresh() {
    if (!task) return;
    setError(null);
    setRefreshing(true);
    await refresh(task.uuid, true);
    setRefreshing(false);
  }

  return (
    <div className="space-y-8">
      <form onSubmit={onSubmit} className="space-y-5 rounded-xl border border-slate-200 p-5 sm:p-6" data-testid="t2v-form">
        <div>
          <label htmlFor="t2v-prompt" className="block text-sm font-medium">
            {t("t2v.prompt")}
          </label>
          <textarea
            id="t2v-prompt"
            data-testid="t2v-prompt"
            required
            rows={4}
            maxLength={TEXT2VIDEO_MAX_PROMPT_LENGTH}
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            placeholder={t("t2v.promptPlaceholder")}
            className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus:border-brand-600 focus:outline-none"
          />
          <p className="mt-1 text-xs text-slate-500">
            {t("t2v.promptHint", { count: prompt.trim().length, max: TEXT2VIDEO_MAX_PROMPT_LENGTH })}
          </p>
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor="t2v-seconds" className="block text-sm font-medium">
              {t("t2v.seconds")}
            </label>
            <input
              id="t2v-seconds"
              data-testid="t2v-seconds"
              type="number"
              inputMode="numeric"
              required
              min={TEXT2VIDEO_MIN_SECONDS}
              max={TEXT2VIDEO_MAX_SECONDS}
              step={1}
              value={seconds}
              onChange={(e) => setSeconds(e.target.value)}
              className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus:border-brand-600 focus:outline-none"
            />
            <p className="mt-1 text-xs text-slate-500">
              {t("t2v.secondsHint", { min: TEXT2VIDEO_MIN_SECONDS, max: TEXT2VIDEO_MAX_SECONDS })}
            </p>
          </div>
          <div>
            <label htmlFor="t2v-aspect" className="block text-sm font-medium">
              {t("t2v.aspect")}
            </label>
            <select
              id="t2v-aspect"
              data-testid="t2v-aspect"
              value={aspectRatio}
              onChange={(e) => setAspectRatio(e.target.value as AspectRatio)}
              className="mt-1 w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm focus:border-brand-600 focus:outline-none"
            >
              {ASPECT_RATIOS.map((a) => (
                <option key={a} value={a}>
                  {t(`t2v.aspects.${a}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-slate-50 px-4 py-3 text-sm">
          <span data-testid="t2v-cost" data-credits={cost ?? ""} className="font-medium">
            {cost === null
              ? t("t2v.costUnknown", { min: TEXT2VIDEO_MIN_SECONDS, max: TEXT2VIDEO_MAX_SECONDS })
              : t("t2v.cost", { credits: cost })}
          </span>
          <span data-testid="t2v-balance" data-credits={balance} className="text-slate-600">
            {t("t2v.balance", { credits: balance })}
          </span>
        </div>
        {cost !== null && cost > balance && (
          <p className="text-sm text-amber-700">
            {t("t2v.notEnough")}{" "}
            <Link href="/credits" className="font-medium underline">
              {t("errors.buyCredits")}
            </Link>
          </p>
        )}
        {error && (
          <div data-testid="t2v-error" data-error={error.kind}>
            <Alert tone="error">
              <ErrorMessage error={error} />
            </Alert>
          </div>
        )}
        <Button type="submit" data-testid="t2v-submit" disabled={submitting} className="w-full sm:w-auto">
          {submitting ? t("t2v.submitting") : t("t2v.submit")}
        </Button>
      </form>

      {task && (
        <section className="space-y-4 rounded-xl border border-slate-200 p-5 sm:p-6" data-testid="t2v-task" data-status={task.status}>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 className="text-lg font-semibold">{t("t2v.currentTask")}</h2>
            <TaskStatusBadge status={task.status} />
          </div>
          <p className="line-clamp-3 text-sm text-slate-600">{promptOf(task)}</p>
          {isRunning(task) && (
            <div className="space-y-2">
              <TaskProgress progress={task.progress} />
              <p className="text-xs text-slate-500">
                {t("t2v.progress", { progress: task.progress })} · {t("t2v.autoRefresh")}
              </p>
            </div>
          )}
          {task.status === "succeeded" && task.outputUrl && (
            <div className="space-y-2">
              <Alert tone="success">{t("t2v.succeeded")}</Alert>
              <video
                key={task.outputUrl}
                data-testid="t2v-video"
                src={task.outputUrl}
                controls
                playsInline
                className="max-h-[70vh] w-full rounded-lg bg-black"
              />
            </div>
          )}
          {task.status === "failed" && (
            <Alert tone="error">{t("t2v.failed", { reason: task.errorMessage ?? "", credits: task.creditsUsed })}</Alert>
          )}
          <div className="flex flex-wrap gap-3">
            <Button type="button" variant="secondary" data-testid="t2v-refresh" onClick={onRefresh} disabled={refreshing}>
              {refreshing ? t("t2v.refreshing") : t("t2v.refresh")}
            </Button>
            <Link href="/tasks" className="self-center text-sm font-medium text-brand-700 underline">
              {t("t2v.history")}
            </Link>
          </div>
        </section>
      )}
    </div>
  );
}

function promptOf(task: TaskDto): string {
  const input = task.userInput as { prompt?: unknown } | null;
  return typeof input?.prompt === "string" ? input.prompt : "";
}

function ErrorMessage({ error }: { error: ErrorState }) {
  const t = useTranslations("tasks");
  switch (error.kind) {
    case "insufficient":
      return (
        <>
          {t("errors.insufficient", { required: error.required, balance: error.balance })}{" "}
          <Link href="/credits" className="font-medium underline" data-testid="t2v-buy-credits">
            {t("errors.buyCredits")}
          </Link>
        </>
      );
    case "rateLimited":
      return <>{t("errors.rateLimited", { seconds: error.seconds })}</>;
    case "invalid": {
      const known = ["prompt", "seconds", "aspectRatio"].includes(error.field) ? error.field : "body";
      return <>{t("errors.invalid", { field: t(`fields.${known}`) })}</>;
    }
    default:
      return <>{t(`errors.${error.kind}`)}</>;
  }
}
