import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { DownloadIcon, FileAudioIcon } from "lucide-react";
import { LowBalanceBanner } from "@/components/billing/low-balance-banner";
import { topUpFor } from "@/services/payments/top-up";
import { outputFileName, TaskOutput } from "@/components/tasks/task-output";
import { TaskCost } from "@/components/tasks/task-cost";
import { TaskStatusBadge } from "@/components/tasks/task-status";
import { formatDuration } from "@/components/tasks/upload-api";
import { buttonClass } from "@/components/ui/button";
import { Card, CardContent, CardFooter } from "@/components/ui/card";
import { Link, redirect } from "@/i18n/navigation";
import { LiveTaskList } from "@/components/tasks/live-task-list";
import { getCurrentUser } from "@/lib/auth/current-user";
import { pageFromSearchParam } from "@/lib/http/pagination";
import { providerErrorMessageKey } from "@/lib/provider-errors";
import { getUserCredits } from "@/services/credits/ledger";
import { getTaskForUser, isFinished, listTasks, parseTaskFilters, TASK_STATUSES, taskTypes, toTaskDto, type TaskDto, type TaskFilters } from "@/services/tasks";
import { SignUpPrompt } from "../sign-up-prompt";

export const dynamic = "force-dynamic";
const PAGE_SIZE = 12;

type SearchParams = { page?: string | string[]; type?: string | string[]; status?: string | string[]; task?: string | string[] };

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "tasks.meta" });
  return { title: t("listTitle") };
}

/** ?type= and ?status= of the page; a value that is not a known type or status shows all. */
function filtersFrom(sp: SearchParams): TaskFilters {
  const one = <K extends "type" | "status">(name: K): TaskFilters[K] => {
    const value = sp[name];
    if (typeof value !== "string") return undefined;
    try {
      return parseTaskFilters({ [name]: value })[name];
    } catch {
      return undefined;
    }
  };
  return { type: one("type"), status: one("status") };
}

/** The query of this page with some filters changed (page back to 1). */
function query(filters: TaskFilters, change: TaskFilters & { page?: number } = {}) {
  const next = { ...filters, ...change };
  return Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v !== 1)) as Record<string, string | number>;
}

export default async function TasksPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<SearchParams> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("tasks");
  const user = await getCurrentUser();
  if (!user) {
    return (
      <div className="mx-auto max-w-6xl px-4 py-10">
        <h1 className="mb-8 text-3xl font-bold tracking-tight">{t("list.title")}</h1>
        <SignUpPrompt />
      </div>
    );
  }
  const sp = await searchParams;
  // ?task=<uuid> (e.g. a ledger row's link): the user's own task opens on its type's page;
  // another user's, or garbage, shows the list (nothing of it).
  if (typeof sp.task === "string" && sp.task) {
    const named = await getTaskForUser(sp.task, user.uuid, { refresh: false }).catch(() => null);
    const type = named && taskTypes().find((d) => d.type === named.type && d.form);
    if (named && type) redirect({ href: { pathname: `/tasks/${type.slug}`, query: { task: named.uuid } }, locale });
  }
  const page = pageFromSearchParam(sp.page);
  const filters = filtersFrom(sp);
  const filtered = Boolean(filters.type || filters.status);
  const [{ items: rows, hasMore }, { balance }, topUp, format, typeT, statusT, errorsT] = await Promise.all([
    listTasks(user.uuid, { page, pageSize: PAGE_SIZE, ...filters }),
    getUserCredits(user.uuid),
    topUpFor(user.uuid),
    getFormatter(),
    getTranslations("taskTypes"),
    getTranslations("tasks.status"),
    getTranslations("errors"),
  ]);
  const items = await Promise.all(rows.map((row) => toTaskDto(row, user.uuid, { locale })));
  const known = new Map(taskTypes().map((d) => [d.type, d]));
  const running = items.filter((task) => !isFinished(task)).map(({ uuid, status }) => ({ uuid, status }));

  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:py-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t("list.title")}</h1>
          <p className="mt-2 text-muted-foreground">
            {t("list.subtitle")} {running.length > 0 && <span data-testid="tasks-live">{t("list.live")}</span>}
          </p>
          <LiveTaskList running={running} />
        </div>
        <div className="flex flex-wrap gap-2">
          {taskTypes().map((d, i) => (
            <Link key={d.type} href={`/tasks/${d.slug}`} className={buttonClass(i === 0 ? "primary" : "secondary")}>
              {typeT(`${d.type}.name`)}
            </Link>
          ))}
        </div>
      </div>
      <LowBalanceBanner balance={balance} topUp={topUp} />

      <nav aria-label={t("list.filters")} className="mt-6 space-y-3" data-testid="tasks-filters">
        <FilterRow
          label={t("list.type")}
          name="type"
          options={[
            { label: t("list.all"), href: query(filters, { type: undefined }), current: !filters.type },
            ...taskTypes().map((d) => ({ label: typeT(`${d.type}.name`), value: d.type, href: query(filters, { type: d.type }), current: filters.type === d.type })),
          ]}
        />
        <FilterRow
          label={t("list.status")}
          name="status"
          options={[
            { label: t("list.all"), href: query(filters, { status: undefined }), current: !filters.status },
            ...TASK_STATUSES.map((s) => ({ label: statusT(s), value: s, href: query(filters, { status: s }), current: filters.status === s })),
          ]}
        />
      </nav>

      {items.length === 0 ? (
        <div className="mt-8 rounded-xl border border-dashed p-10 text-center" data-testid="tasks-list" data-count={0}>
          <p className="font-medium">{filtered ? t("list.emptyFiltered") : t("list.empty")}</p>
          <p className="mt-2 text-sm text-muted-foreground">{filtered ? "" : t("list.emptyHint")}</p>
          {filtered && (
            <Link href="/tasks" className={buttonClass("secondary", "mt-4")}>
              {t("list.clearFilters")}
            </Link>
          )}
        </div>
      ) : (
        <ul className="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="tasks-list" data-count={items.length}>
          {items.map((task) => {
            const input = (task.userInput ?? {}) as Record<string, string | number>;
            const type = known.get(task.type);
            const href = type?.form ? { pathname: `/tasks/${type.slug}`, query: { task: task.uuid } } : null;
            // Finished: its input again in the form (nothing is sent until Generate is pressed).
            const again = type?.form && isFinished(task) ? { pathname: `/tasks/${type.slug}`, query: { from: task.uuid } } : null;
            return (
              <li key={task.uuid} data-task={task.uuid} data-status={task.status}>
                <Card className="h-full gap-4 overflow-hidden pt-0">
                  <TaskPreview task={task} />
                  <CardContent className="flex flex-1 flex-col gap-3">
                    <div className="flex items-center justify-between gap-2">
                      <TaskStatusBadge status={task.status} />
                      <time dateTime={task.createdAt} className="text-xs text-muted-foreground">
                        {format.dateTime(new Date(task.createdAt), { dateStyle: "medium", timeStyle: "short" })}
                      </time>
                    </div>
                    <div className="flex items-start gap-3">
                      <TaskInputs task={task} label={t("list.input")} />
                      <p className="line-clamp-3 min-w-0 flex-1 text-sm">{task.summary}</p>
                    </div>
                    <p className="text-xs text-muted-foreground">
                      {type && `${typeT(`${type.type}.name`)} · `}
                      {type?.labels.en.details ? `${typeT(`${type.type}.details`, input)} · ` : ""}
                      <TaskCost task={task} />
                    </p>
                    {task.status === "failed" && (
                      <p className="text-sm text-destructive" data-error-code={task.errorCode ?? undefined}>
                        {errorsT(providerErrorMessageKey(task.errorCode))}
                      </p>
                    )}
                  </CardContent>
                  <CardFooter className="mt-auto flex flex-wrap gap-2">
                    {href && (
                      <Link href={href} className={buttonClass("secondary", "", "sm")}>
                        {isFinished(task) ? t("list.open") : t("list.view")}
                      </Link>
                    )}
                    {again && (
                      <Link href={again} className={buttonClass(task.status === "failed" ? "primary" : "outline", "", "sm")} data-testid="task-use-again">
                        {task.status === "failed" ? t("list.retry") : t("list.useAgain")}
                      </Link>
                    )}
                    {task.status === "succeeded" && task.outputUrl && (
                      <a href={task.outputUrl} download={outputFileName(task)} className={buttonClass("outline", "", "sm")}>
                        <DownloadIcon aria-hidden />
                        {t("list.download")}
                      </a>
                    )}
                  </CardFooter>
                </Card>
              </li>
            );
          })}
        </ul>
      )}

      {(page > 1 || hasMore) && (
        <nav className="mt-8 flex items-center justify-between text-sm">
          {page > 1 ? (
            <Link href={{ pathname: "/tasks", query: query(filters, { page: page - 1 }) }} className={buttonClass("secondary")}>
              {t("list.newer")}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-muted-foreground">{t("list.page", { page })}</span>
          {hasMore ? (
            <Link href={{ pathname: "/tasks", query: query(filters, { page: page + 1 }) }} className={buttonClass("secondary")}>
              {t("list.older")}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </div>
  );
}

/** One filter: "All" and each value, as links (the filters live in the URL; no script needed). */
function FilterRow({
  label,
  name,
  options,
}: {
  label: string;
  name: string;
  options: Array<{ label: string; value?: string; href: Record<string, string | number>; current: boolean }>;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span className="w-16 text-sm font-medium">{label}</span>
      {options.map((o) => (
        <Link
          key={o.value ?? "all"}
          href={{ pathname: "/tasks", query: o.href }}
          aria-current={o.current ? "page" : undefined}
          data-testid={`filter-${name}-${o.value ?? "all"}`}
          className={buttonClass(o.current ? "primary" : "outline", "rounded-full", "sm")}
        >
          {o.label}
        </Link>
      ))}
    </div>
  );
}

/** The task's uploaded inputs: an image's thumbnail, a recording's name and length. */
function TaskInputs({ task, label }: { task: TaskDto; label: string }) {
  const files = Object.values(task.inputs);
  if (files.length === 0) return null;
  return (
    <ul className="flex shrink-0 gap-2" aria-label={label} data-testid="task-inputs">
      {files.map((file) =>
        file.kind === "image" ? (
          <li key={file.id}>
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={file.url} alt={file.name ?? ""} loading="lazy" className="h-12 w-12 rounded-md bg-muted object-cover" data-testid="task-input-thumbnail" />
          </li>
        ) : (
          <li key={file.id} className="flex max-w-32 items-center gap-1.5 rounded-md bg-muted px-2 py-1 text-xs" data-testid="task-input-file">
            <FileAudioIcon className="size-4 shrink-0" aria-hidden />
            <span className="truncate">{file.name ?? ""}</span>
            {file.durationSeconds !== null && <span className="shrink-0 text-muted-foreground">{formatDuration(file.durationSeconds)}</span>}
          </li>
        ),
      )}
    </ul>
  );
}

/** The card's picture: the output when there is one, else a quiet panel the same shape. */
function TaskPreview({ task }: { task: TaskDto }) {
  if (task.status === "succeeded" && task.outputUrl) return <TaskOutput task={task} />;
  return <div className="aspect-video w-full bg-muted" aria-hidden />;
}
