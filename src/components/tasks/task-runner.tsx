"use client";

import { DownloadIcon } from "lucide-react";
import { useTranslations } from "next-intl";
import { useEffect, useRef, type ReactNode } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { Link } from "@/i18n/navigation";
import { providerErrorMessageKey } from "@/lib/provider-errors";
import type { TaskDto } from "@/services/tasks/queries";
import { isRunning, type TaskErrorState } from "./task-api";
import { outputFileName, TaskOutput } from "./task-output";
import { TaskStatusBadge } from "./task-status";
import { useTaskRunner } from "./use-task-runner";

export interface TaskRunnerProps {
  /** The type's URL segment: POST /api/tasks/<slug>. */
  slug: string;
  /** Prefix of the data-testid attributes (e.g. "t2v": t2v-form, t2v-submit, t2v-task, ...). */
  testIdPrefix: string;
  balance: number;
  initialTask: TaskDto | null;
  /** The request body from the type's fields. */
  body: () => unknown;
  /** Credits the current fields cost, or null when they are not valid yet. */
  cost: number | null;
  /** Shown instead of the cost while it is null. */
  costUnknown?: string;
  submitLabel: string;
  /** The label of a field named in a 400 answer (the type's own fields). */
  fieldLabel: (field: string) => string;
  /** The type's own fields. */
  children: ReactNode;
}

/**
 * The frame every task form shares: the type's fields (children), cost and balance,
 * errors, submit (or Buy credits when the cost exceeds the balance), and the task being
 * followed, live, with its result by output kind. Beside the form on wide screens; below
 * it on phones, scrolled into view when a task starts.
 */
export function TaskRunner(props: TaskRunnerProps) {
  const t = useTranslations("tasks.runner");
  const { cost, balance } = props;
  const { task, error, submitting, started, submit } = useTaskRunner({ slug: props.slug, initialTask: props.initialTask, balance });
  const id = (name: string) => `${props.testIdPrefix}-${name}`;
  const statusRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!started) return;
    const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    statusRef.current?.scrollIntoView({ block: "nearest", behavior: reduce ? "auto" : "smooth" });
  }, [started]);

  // Out of credits: the balance the page knows, or the one a 402 answer gave.
  const shortfall =
    error?.kind === "insufficient" ? error.required - error.balance : cost !== null && cost > balance ? cost - balance : 0;

  return (
    <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
      <Card className="gap-0 py-0">
        <CardContent className="p-5 sm:p-6">
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void submit(props.body());
            }}
            className="space-y-5"
            data-testid={id("form")}
          >
            {props.children}
            <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-muted px-4 py-3 text-sm">
              <span data-testid={id("cost")} data-credits={cost ?? ""} className="font-medium">
                {cost === null ? props.costUnknown : t("cost", { credits: cost })}
              </span>
              <span data-testid={id("balance")} data-credits={balance} className="text-muted-foreground">
                {t("balance", { credits: balance })}
              </span>
            </div>
            {error && error.kind !== "insufficient" && (
              <div data-testid={id("error")} data-error={error.kind}>
                <Alert tone="error">
                  <TaskErrorMessage error={error} fieldLabel={props.fieldLabel} />
                </Alert>
              </div>
            )}
            {shortfall > 0 ? (
              <OutOfCredits shortfall={shortfall} testIdPrefix={props.testIdPrefix} />
            ) : (
              <Button type="submit" size="lg" data-testid={id("submit")} disabled={submitting} className="w-full sm:w-auto">
                {submitting ? t("submitting") : props.submitLabel}
              </Button>
            )}
          </form>
        </CardContent>
      </Card>

      <div ref={statusRef} className="scroll-mt-24 lg:sticky lg:top-24">
        {task ? <TaskStatusCard task={task} testIdPrefix={props.testIdPrefix} /> : <EmptyStatus />}
      </div>
    </div>
  );
}

/** One message with the exact shortfall, and Buy credits where Generate would be. */
function OutOfCredits({ shortfall, testIdPrefix }: { shortfall: number; testIdPrefix: string }) {
  const t = useTranslations("tasks.runner");
  return (
    <div className="space-y-3" data-testid={`${testIdPrefix}-insufficient`} data-shortfall={shortfall}>
      <Alert tone="info">
        <AlertTitle>{t("shortfall", { credits: shortfall })}</AlertTitle>
        <AlertDescription>{t("shortfallHint")}</AlertDescription>
      </Alert>
      <Button asChild size="lg" className="w-full sm:w-auto">
        <Link href="/credits" data-testid={`${testIdPrefix}-buy-credits`}>
          {t("buyCredits")}
        </Link>
      </Button>
    </div>
  );
}

/** Wide screens: where the result will appear, before there is one. */
function EmptyStatus() {
  const t = useTranslations("tasks.runner");
  return (
    <Card className="hidden border-dashed shadow-none lg:flex">
      <CardContent className="py-10 text-center text-sm text-muted-foreground">{t("placeholder")}</CardContent>
    </Card>
  );
}

function TaskStatusCard({ task, testIdPrefix }: { task: TaskDto; testIdPrefix: string }) {
  const t = useTranslations("tasks.runner");
  const errorsT = useTranslations("errors");
  const id = (name: string) => `${testIdPrefix}-${name}`;
  return (
    <Card className="gap-4" data-testid={id("task")} data-status={task.status}>
      <CardHeader className="flex flex-wrap items-center justify-between gap-3">
        <CardTitle className="text-lg">{t("currentTask")}</CardTitle>
        <span aria-live="polite">
          <TaskStatusBadge status={task.status} />
        </span>
      </CardHeader>
      <CardContent className="space-y-4">
        <p className="line-clamp-3 text-sm text-muted-foreground">{promptOf(task)}</p>
        {isRunning(task) && (
          <div className="space-y-2">
            <Progress value={task.progress} aria-label={t("progress", { progress: task.progress })} data-testid={id("progress")} />
            <p className="text-xs text-muted-foreground">
              {t("progress", { progress: task.progress })} · {t("autoRefresh")}
            </p>
          </div>
        )}
        {task.status === "succeeded" && task.outputUrl && (
          <div className="space-y-3">
            <TaskOutput task={task} testId={id(task.outputKind ?? "output")} large />
            <Button asChild variant="outline">
              <a href={task.outputUrl} download={outputFileName(task)} data-testid={id("download")}>
                <DownloadIcon aria-hidden />
                {t("download")}
              </a>
            </Button>
          </div>
        )}
        {task.status === "failed" && (
          <Alert tone="error" data-testid={id("failed")} data-error-code={task.errorCode ?? undefined}>
            <AlertTitle>{t("failedTitle")}</AlertTitle>
            <AlertDescription>
              {errorsT(providerErrorMessageKey(task.errorCode))} {t("refunded", { credits: task.creditsUsed })}
            </AlertDescription>
          </Alert>
        )}
        <Link href="/tasks" className="inline-block text-sm font-medium text-primary underline-offset-4 hover:underline">
          {t("history")}
        </Link>
      </CardContent>
    </Card>
  );
}

function promptOf(task: TaskDto): string {
  const input = task.userInput as { prompt?: unknown } | null;
  return typeof input?.prompt === "string" ? input.prompt : "";
}

function TaskErrorMessage({ error, fieldLabel }: { error: TaskErrorState; fieldLabel: (field: string) => string }) {
  const t = useTranslations("tasks");
  switch (error.kind) {
    case "insufficient":
      return <>{t("runner.shortfall", { credits: error.required - error.balance })}</>;
    case "rateLimited":
      return <>{t("errors.rateLimited", { seconds: error.seconds })}</>;
    case "invalid":
      return <>{t("errors.invalid", { field: fieldLabel(error.field) })}</>;
    default:
      return <>{t(`errors.${error.kind}`)}</>;
  }
}
