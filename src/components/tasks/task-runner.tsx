"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";
import { providerErrorMessageKey } from "@/lib/provider-errors";
import type { TaskDto } from "@/services/tasks/queries";
import { isRunning, type TaskErrorState } from "./task-api";
import { TaskOutput } from "./task-output";
import { TaskProgress, TaskStatusBadge } from "./task-status";
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
 * errors, submit, and the task being followed with its result by output kind.
 */
export function TaskRunner(props: TaskRunnerProps) {
  const t = useTranslations("tasks.runner");
  const errorsT = useTranslations("errors");
  const { task, error, submitting, refreshing, submit, refresh } = useTaskRunner({ slug: props.slug, initialTask: props.initialTask });
  const id = (name: string) => `${props.testIdPrefix}-${name}`;
  const { cost, balance } = props;

  return (
    <div className="space-y-8">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit(props.body());
        }}
        className="space-y-5 rounded-xl border border-slate-200 p-5 sm:p-6"
        data-testid={id("form")}
      >
        {props.children}
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-slate-50 px-4 py-3 text-sm">
          <span data-testid={id("cost")} data-credits={cost ?? ""} className="font-medium">
            {cost === null ? props.costUnknown : t("cost", { credits: cost })}
          </span>
          <span data-testid={id("balance")} data-credits={balance} className="text-slate-600">
            {t("balance", { credits: balance })}
          </span>
        </div>
        {cost !== null && cost > balance && (
          <p className="text-sm text-amber-700">
            {t("notEnough")}{" "}
            <Link href="/credits" className="font-medium underline">
              {t("buyCredits")}
            </Link>
          </p>
        )}
        {error && (
          <div data-testid={id("error")} data-error={error.kind}>
            <Alert tone="error">
              <TaskErrorMessage error={error} fieldLabel={props.fieldLabel} buyTestId={id("buy-credits")} />
            </Alert>
          </div>
        )}
        <Button type="submit" data-testid={id("submit")} disabled={submitting} className="w-full sm:w-auto">
          {submitting ? t("submitting") : props.submitLabel}
        </Button>
      </form>

      {task && (
        <section className="space-y-4 rounded-xl border border-slate-200 p-5 sm:p-6" data-testid={id("task")} data-status={task.status}>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 className="text-lg font-semibold">{t("currentTask")}</h2>
            <TaskStatusBadge status={task.status} />
          </div>
          <p className="line-clamp-3 text-sm text-slate-600">{promptOf(task)}</p>
          {isRunning(task) && (
            <div className="space-y-2">
              <TaskProgress progress={task.progress} testId={id("progress")} />
              <p className="text-xs text-slate-500">
                {t("progress", { progress: task.progress })} · {t("autoRefresh")}
              </p>
            </div>
          )}
          {task.status === "succeeded" && task.outputUrl && (
            <div className="space-y-2">
              <Alert tone="success">{t("succeeded")}</Alert>
              <TaskOutput task={task} testId={id(task.outputKind ?? "output")} large />
            </div>
          )}
          {task.status === "failed" && <Alert tone="error">{t("failed", { reason: errorsT(providerErrorMessageKey(task.errorCode)), credits: task.creditsUsed })}</Alert>}
          <div className="flex flex-wrap gap-3">
            <Button type="button" variant="secondary" data-testid={id("refresh")} onClick={() => void refresh()} disabled={refreshing}>
              {refreshing ? t("refreshing") : t("refresh")}
            </Button>
            <Link href="/tasks" className="self-center text-sm font-medium text-brand-700 underline">
              {t("history")}
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

export function TaskErrorMessage({
  error,
  fieldLabel,
  buyTestId,
}: {
  error: TaskErrorState;
  fieldLabel: (field: string) => string;
  buyTestId?: string;
}) {
  const t = useTranslations("tasks");
  switch (error.kind) {
    case "insufficient":
      return (
        <>
          {t("errors.insufficient", { required: error.required, balance: error.balance })}{" "}
          <Link href="/credits" className="font-medium underline" data-testid={buyTestId}>
            {t("errors.buyCredits")}
          </Link>
        </>
      );
    case "rateLimited":
      return <>{t("errors.rateLimited", { seconds: error.seconds })}</>;
    case "invalid":
      return <>{t("errors.invalid", { field: fieldLabel(error.field) })}</>;
    default:
      return <>{t(`errors.${error.kind}`)}</>;
  }
}
