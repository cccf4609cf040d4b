import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { DownloadIcon } from "lucide-react";
import { LowBalanceBanner } from "@/components/billing/low-balance-banner";
import { outputFileName, TaskOutput } from "@/components/tasks/task-output";
import { TaskStatusBadge } from "@/components/tasks/task-status";
import { buttonClass } from "@/components/ui/button";
import { Card, CardContent, CardFooter } from "@/components/ui/card";
import { Link } from "@/i18n/navigation";
import { getCurrentUser } from "@/lib/current-user";
import { pageFromSearchParam } from "@/lib/pagination";
import { providerErrorMessageKey } from "@/lib/provider-errors";
import { getUserCredits } from "@/services/credits";
import { isFinished, listTasks, parseTaskFilters, TASK_STATUSES, taskTypes, toTaskDto, type TaskDto, type TaskFilters } from "@/services/tasks";
import { SignUpPrompt } from "../sign-up-prompt";

export const dynamic = "force-dynamic";
const PAGE_SIZE = 12;

type SearchParams = { page?: string | string[]; type?: string | string[]; status?: string | string[] };

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
  const page = pageFromSearchParam(sp.page);
  const filters = filtersFrom(sp);
  const filtered = Boolean(filters.type || filters.status);
  const [{ items: rows, hasMore }, { balance }, format, typeT, statusT, errorsT] = await Promise.all([
    listTasks(user.uuid, { page, pageSize: PAGE_SIZE, ...filters }),
    getUserCredits(user.uuid),
    getFormatter(),
    getTranslations("taskTypes"),
    getTranslations("tasks.status"),
    getTranslations("errors"),
  ]);
  const items = await Promise.all(rows.map((row) => toTaskDto(row, user.uuid, { locale })));
  const known = new Map(taskTypes().map((d) => [d.type, d]));

  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:py-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t("list.title")}</h1>
          <p className="mt-2 text-muted-foreground">{t("list.subtitle")}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {taskTypes().map((d, i) => (
            <Link key={d.type} href={`/tasks/${d.slug}`} className={buttonClass(i === 0 ? "primary" : "secondary")}>
              {typeT(`${d.type}.name`)}
            </Link>
          ))}
        </div>
      </div>
      <LowBalanceBanner balance={balance} />

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
            const input = (task.userInput ?? {}) as Record<string, string | number> & { prompt?: string };
            const type = known.get(task.type);
            const href = type ? { pathname: `/tasks/${type.slug}`, query: { task: task.uuid } } : null;
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
                    <p className="line-clamp-3 text-sm">{input.prompt}</p>
                    <p className="text-xs text-muted-foreground">
                      {type && `${typeT(`${type.type}.name`)} · `}
                      {type?.labels.en.details ? `${typeT(`${type.type}.details`, input)} · ` : ""}
                      <span className={task.status === "failed" ? "line-through" : undefined}>{t("list.cost", { credits: task.creditsUsed })}</span>
                      {task.status === "failed" ? ` (${t("list.refunded")})` : ""}
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

/** The card's picture: the output when there is one, else a quiet panel the same shape. */
function TaskPreview({ task }: { task: TaskDto }) {
  if (task.status === "succeeded" && task.outputUrl) return <TaskOutput task={task} />;
  return <div className="aspect-video w-full bg-muted" aria-hidden />;
}
