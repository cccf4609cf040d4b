"use client";

import { DownloadIcon } from "lucide-react";
import { useTranslations } from "next-intl";
import { useParams } from "next/navigation";
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { Link } from "@/i18n/navigation";
import { providerErrorMessageKey } from "@/lib/provider-errors";
import type { TopUp } from "@/services/payments/top-up";
import { ResendVerificationButton } from "@/components/verify-email/resend-button";
import type { TaskDto } from "@/services/tasks/queries";
import type { SignUpToGenerate } from "./sign-up-to-generate";
import { isRunning, type TaskErrorState } from "./task-api";
import { outputFileName, TaskOutput } from "./task-output";
import { TaskStatusBadge } from "./task-status";
import { useTaskRunner } from "./use-task-runner";

const noSubscription = () => () => {};

export interface TaskRunnerProps {
  /** The type's URL segment: POST /api/tasks/<slug>. */
  slug: string;
  /** Prefix of the data-testid attributes (e.g. "t2v": t2v-form, t2v-submit, t2v-task, ...). */
  testIdPrefix: string;
  /** The user's balance; null for a signed-out visitor (Generate keeps the form and asks to sign up). */
  balance: number | null;
  initialTask: TaskDto | null;
  /** What to offer when the cost exceeds the balance (src/components/billing/top-up.ts). */
  topUp: TopUp;
  /** The request body from the type's fields. */
  body: () => unknown;
  /** Credits the current fields cost, or null when they are not valid yet (a metered type: the most they can cost). */
  cost: number | null;
  /** A metered type: the cost reads "up to N credits" (held, then charged for what is used). */
  metered?: boolean;
  /** Shown instead of the cost while it is null. */
  costUnknown?: string;
  submitLabel: string;
  /** The label of a field named in a 400 answer (the type's own fields). */
  fieldLabel: (field: string) => string;
  /** False while the fields cannot be sent yet (e.g. a file still uploading, or none chosen): submit waits. */
  ready?: boolean;
  /**
   * A succeeded task's result, when the type shows more than its output file (e.g. a
   * transcript with timestamps and its downloads); default: the output by kind and Download.
   */
  renderOutput?: (task: TaskDto) => ReactNode;
  /** The type's own fields. */
  children: ReactNode;
}

/**
 * The frame every task form shares: the type's fields (children), cost and balance,
 * errors, submit (or Buy credits when the cost exceeds the balance), and the task being
 * followed, live, with its result by output kind. Beside the form on wide screens; below
 * it on phones, scrolled to the top of the screen when a task starts, and its output brought
 * into view when it finishes. A failed task offers Retry (the same input, a new task) and
 * "use this prompt again" (?from=: the form with its input). For a signed-out visitor,
 * Generate keeps the body as a draft (./draft.ts) and asks to sign up or sign in, in place.
 */
export function TaskRunner(props: TaskRunnerProps) {
  const t = useTranslations("tasks.runner");
  const { cost, balance } = props;
  const { task, error, submitting, started, submit } = useTaskRunner({ slug: props.slug, initialTask: props.initialTask, balance });
  const id = (name: string) => `${props.testIdPrefix}-${name}`;
  const statusRef = useRef<HTMLDivElement>(null);
  const visitorRef = useRef<HTMLDivElement>(null);
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  // A visitor pressed Generate: what they typed is kept, and the sign-up step shows in place
  // (its code, and the draft's, load then: a signed-in user's page does not carry them).
  const [SignUpStep, setSignUpStep] = useState<typeof SignUpToGenerate | null>(null);
  const askedToSignUp = SignUpStep !== null;
  const visitor = balance === null;

  // A task started: the focus moves to its status (keyboard and screen-reader users land on it
  // instead of on the page's body), which is brought into view. The page re-renders just after
  // (the balances; a new ?task= remounts it, this runner included), so for a few seconds each
  // render of the same task keeps it there, unless the user has moved the focus elsewhere.
  const taskUuid = task?.uuid;
  useEffect(() => {
    if (started && taskUuid) justStarted = { uuid: taskUuid, at: Date.now(), smooth: true, scrolling: false, realign: null };
  }, [started, taskUuid]);
  useEffect(() => {
    const status = statusRef.current;
    const current = justStarted;
    if (!status || !current || current.uuid !== taskUuid || Date.now() - current.at > 8000) return;
    const focus = document.activeElement;
    if (focus && focus !== document.body && !status.contains(focus) && !current.smooth) return;
    status.focus({ preventScroll: true });
    // Beside the form (wide screens) it is on screen already; below it (phones) it goes to the
    // top of the screen (under the header: scroll-mt), clear of the toast.
    const block = besideForm() ? "nearest" : "start";
    if (current.smooth) {
      current.smooth = false;
      const behavior = motion();
      if (behavior === "smooth") scrollingUntilEnd(current);
      status.scrollIntoView({ block, behavior });
    } else if (current.scrolling) {
      // A re-render while the smooth scroll runs: an instant scroll now would leave Chromium's
      // animation off its target (the card landed 10-100 px off, under the toast); once it ends.
      current.realign = () => statusRef.current?.scrollIntoView({ block, behavior: "auto" });
    } else {
      status.scrollIntoView({ block, behavior: "auto" });
    }
  }, [started, taskUuid, balance]);

  // A task finished while followed here: its output comes into view (not the focus, which stays).
  const status = task?.status;
  const wasRunning = useRef(isRunning(task));
  useEffect(() => {
    const running = status === "queued" || status === "running";
    if (wasRunning.current && status === "succeeded") {
      const output = statusRef.current?.querySelector("[data-task-output]") ?? statusRef.current;
      output?.scrollIntoView({ block: "nearest", behavior: motion() });
    }
    wasRunning.current = running;
  }, [status]);

  useEffect(() => {
    if (askedToSignUp) visitorRef.current?.focus();
  }, [askedToSignUp]);

  // Out of credits: the balance the page knows, or the one a 402 answer gave.
  const shortfall =
    error?.kind === "insufficient"
      ? error.required - error.balance
      : balance !== null && cost !== null && cost > balance
        ? cost - balance
        : 0;

  return (
    <div className="grid gap-6 lg:grid-cols-2 lg:items-start">
      <Card className="gap-0 py-0">
        <CardContent className="p-5 sm:p-6">
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (visitor) {
                const body = props.body();
                void import("./sign-up-to-generate").then((m) => {
                  m.saveDraft(props.slug, body);
                  setSignUpStep(() => m.SignUpToGenerate);
                });
                return;
              }
              void submit(props.body());
            }}
            data-testid={id("form")}
          >
            {/* Disabled until the form's code runs (it is a chunk of its own, loaded while the page
                hydrates): a value typed or a file picked before would not reach its state, and a
                submit would be the browser's own. */}
            <fieldset disabled={!hydrated} className="m-0 min-w-0 space-y-5 border-0 p-0" data-hydrated={hydrated || undefined}>
              {props.children}
              <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-muted px-4 py-3 text-sm">
                <span data-testid={id("cost")} data-credits={cost ?? ""} className="font-medium">
                  {cost === null ? props.costUnknown : t(props.metered ? "costUpTo" : "cost", { credits: cost })}
                </span>
                <span data-testid={id("balance")} data-credits={balance ?? ""} className="text-muted-foreground">
                  {balance === null ? t("visitorBalance") : t("balance", { credits: balance })}
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
                <OutOfCredits shortfall={shortfall} topUp={props.topUp} testIdPrefix={props.testIdPrefix} />
              ) : SignUpStep ? (
                <SignUpStep ref={visitorRef} slug={props.slug} testId={id("visitor")} />
              ) : (
                <Button
                  type="submit"
                  size="lg"
                  data-testid={id("submit")}
                  // A visitor's files need an account to upload: Generate asks to sign up first.
                  disabled={submitting || (!visitor && props.ready === false)}
                  className="w-full sm:w-auto"
                >
                  {submitting ? t("submitting") : props.submitLabel}
                </Button>
              )}
            </fieldset>
          </form>
          {/* Its own form, so not inside the task form (a form in a form is not HTML). */}
          {shortfall > 0 && props.topUp.kind === "confirmEmail" && (
            <div className="mt-3">
              <ResendForShortfall testId={id("resend")} />
            </div>
          )}
        </CardContent>
      </Card>

      <div
        ref={statusRef}
        tabIndex={-1}
        role="region"
        aria-label={t("currentTask")}
        className="focus-ring scroll-mt-24 rounded-xl lg:sticky lg:top-24"
        data-testid={id("status")}
      >
        {task ? (
          <TaskStatusCard
            task={task}
            testIdPrefix={props.testIdPrefix}
            renderOutput={props.renderOutput}
            retry={{ submitting, onRetry: () => void submit(task.userInput), slug: props.slug }}
          />
        ) : (
          <EmptyStatus />
        )}
      </div>
    </div>
  );
}

/**
 * One message with the exact shortfall, and the next step where Generate would be: Buy credits,
 * or (welcome credits waiting) confirm the email (its Resend button follows the form), or nothing
 * to press when purchasing is not available.
 */
function OutOfCredits({ shortfall, topUp, testIdPrefix }: { shortfall: number; topUp: TopUp; testIdPrefix: string }) {
  const t = useTranslations("tasks.runner");
  return (
    <div className="space-y-3" data-testid={`${testIdPrefix}-insufficient`} data-shortfall={shortfall} data-top-up={topUp.kind}>
      <Alert tone="info">
        <AlertTitle>{t("shortfall", { credits: shortfall })}</AlertTitle>
        <AlertDescription>
          {topUp.kind === "confirmEmail" ? t("shortfallConfirmEmail", { credits: topUp.credits }) : topUp.kind === "unavailable" ? t("shortfallUnavailable") : t("shortfallHint")}
        </AlertDescription>
      </Alert>
      {topUp.kind === "buy" && (
        <Button asChild size="lg" className="w-full sm:w-auto">
          <Link href="/credits" data-testid={`${testIdPrefix}-buy-credits`}>
            {t("buyCredits")}
          </Link>
        </Button>
      )}
    </div>
  );
}

/**
 * The task this tab started last, and when (module state: it outlives a remount of the page);
 * `scrolling` while the smooth scroll to its status runs, `realign` what to do when it ends.
 */
let justStarted: { uuid: string; at: number; smooth: boolean; scrolling: boolean; realign: (() => void) | null } | null = null;

/** Marks `started` as scrolling until the page's scroll ends (at most 1.5 s: no scrollend, or no scroll needed), then realigns. */
function scrollingUntilEnd(started: NonNullable<typeof justStarted>) {
  started.scrolling = true;
  const end = () => {
    document.removeEventListener("scrollend", end);
    clearTimeout(timer);
    started.scrolling = false;
    started.realign?.();
    started.realign = null;
  };
  const timer = setTimeout(end, 1500);
  document.addEventListener("scrollend", end);
}

const besideForm = () => window.matchMedia("(min-width: 1024px)").matches;
const motion = (): ScrollBehavior => (window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth");

/** The Resend button (its words from the task page's messages: auth.verifyNotice). */
function ResendForShortfall({ testId }: { testId: string }) {
  const t = useTranslations("auth.verifyNotice");
  const { locale } = useParams<{ locale: string }>();
  const labels = { resend: t("resend"), resending: t("resending"), sent: t("sent"), limited: t("limited"), already: t("already"), failed: t("failed") };
  return <ResendVerificationButton labels={labels} locale={locale} className={buttonClass("secondary", "", "lg")} testId={testId} />;
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

function TaskStatusCard({
  task,
  testIdPrefix,
  renderOutput,
  retry,
}: {
  task: TaskDto;
  testIdPrefix: string;
  renderOutput?: (task: TaskDto) => ReactNode;
  retry: { submitting: boolean; onRetry: () => void; slug: string };
}) {
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
            {task.creditsReserved !== null && (
              <p className="text-xs text-muted-foreground" data-testid={id("reserved")} data-credits={task.creditsReserved}>
                {t("reserved", { credits: task.creditsReserved })}
              </p>
            )}
          </div>
        )}
        {task.status === "succeeded" && task.creditsReserved !== null && (
          <p className="text-sm text-muted-foreground" data-testid={id("charged")} data-credits={task.creditsUsed}>
            {t("charged", { credits: task.creditsUsed, reserved: task.creditsReserved })}
          </p>
        )}
        {task.status === "succeeded" && task.outputUrl && renderOutput && (
          <div className="scroll-mt-24 space-y-3" data-task-output>
            {renderOutput(task)}
          </div>
        )}
        {task.status === "succeeded" && task.outputUrl && !renderOutput && (
          <div className="scroll-mt-24 space-y-3" data-task-output>
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
              {errorsT(providerErrorMessageKey(task.errorCode))}{" "}
              {task.creditsReserved !== null ? t("released", { credits: task.creditsReserved }) : t("refunded", { credits: task.creditsUsed })}
            </AlertDescription>
          </Alert>
        )}
        {task.status === "failed" && (
          <div className="flex flex-wrap gap-3">
            <Button type="button" onClick={retry.onRetry} disabled={retry.submitting} data-testid={id("retry")}>
              {retry.submitting ? t("retrying") : t("retry")}
            </Button>
            <Link href={{ pathname: `/tasks/${retry.slug}`, query: { from: task.uuid } }} className={buttonClass("outline")} data-testid={id("use-again")}>
              {t("useAgain")}
            </Link>
          </div>
        )}
        <Link href="/tasks" className="inline-block text-sm font-medium text-primary underline-offset-4 hover:underline">
          {t("history")}
        </Link>
      </CardContent>
    </Card>
  );
}

function promptOf(task: TaskDto): string {
  return task.summary ?? "";
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
