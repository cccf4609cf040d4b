import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { LowBalanceBanner } from "@/components/billing/low-balance-banner";
import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";
import { getCurrentUser } from "@/lib/current-user";
import { pageFromSearchParam } from "@/lib/pagination";
import { getUserCredits } from "@/services/credits";
import { providerErrorMessageKey } from "@/lib/provider-errors";
import { isFinished, listTasks, taskTypes, toTaskDto, type TaskDto } from "@/services/tasks";
import { TaskOutput } from "@/components/tasks/task-output";
import { SignUpPrompt } from "./sign-up-prompt";
import { TaskStatusBadge } from "@/components/tasks/task-status";

export const dynamic = "force-dynamic";
const PAGE_SIZE = 10;

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "tasks.meta" });
  return { title: t("listTitle") };
}

export default async function TasksPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ page?: string | string[] }>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("tasks");
  const user = await getCurrentUser();
  if (!user) {
    return (
      <div className="mx-auto max-w-3xl px-4 py-10">
        <h1 className="mb-8 text-3xl font-bold tracking-tight">{t("list.title")}</h1>
        <SignUpPrompt />
      </div>
    );
  }
  const page = pageFromSearchParam((await searchParams).page);
  const { items: rows, hasMore } = await listTasks(user.uuid, { page, pageSize: PAGE_SIZE });
  const items = await Promise.all(rows.map((row) => toTaskDto(row, user.uuid, { locale })));
  const format = await getFormatter();
  const typeT = await getTranslations("taskTypes");
  const known = new Map(taskTypes().map((d) => [d.type, d]));
  const { balance } = await getUserCredits(user.uuid);

  return (
    <div className="mx-auto max-w-4xl px-4 py-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{t("list.title")}</h1>
          <p className="mt-2 text-slate-600">{t("list.subtitle")}</p>
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

      {items.length === 0 ? (
        <p className="mt-10 rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-500" data-testid="tasks-list" data-count={0}>
          {t("list.empty")}
        </p>
      ) : (
        <ul className="mt-8 grid gap-4 sm:grid-cols-2" data-testid="tasks-list" data-count={items.length}>
          {items.map((task) => {
            const input = (task.userInput ?? {}) as Record<string, string | number> & { prompt?: string };
            const type = known.get(task.type);
            return (
              <li key={task.uuid} className="flex flex-col gap-3 rounded-xl border border-slate-200 p-4" data-task={task.uuid} data-status={task.status}>
                <div className="flex items-center justify-between gap-2">
                  <TaskStatusBadge status={task.status} />
                  <time dateTime={task.createdAt} className="text-xs text-slate-500">
                    {format.dateTime(new Date(task.createdAt), { dateStyle: "medium", timeStyle: "short" })}
                  </time>
                </div>
                <p className="line-clamp-3 text-sm">{input.prompt}</p>
                <p className="text-xs text-slate-500">
                  {type && (
                    <>
                      <Link href={{ pathname: `/tasks/${type.slug}`, query: { task: task.uuid } }} className="font-medium text-brand-700 hover:underline">
                        {typeT(`${type.type}.name`)}
                      </Link>
                      {" · "}
                    </>
                  )}
                  {type?.labels.en.details ? `${typeT(`${type.type}.details`, input)} · ` : ""}
                  <span className={task.status === "failed" ? "line-through" : undefined}>{t("list.cost", { credits: task.creditsUsed })}</span>
                  {task.status === "failed" ? ` (${t("list.refunded")})` : ""}
                </p>
                <TaskOutcome task={task} slug={type?.slug} />
              </li>
            );
          })}
        </ul>
      )}

      {(page > 1 || hasMore) && (
        <nav className="mt-8 flex items-center justify-between text-sm">
          {page > 1 ? (
            <Link href={{ pathname: "/tasks", query: { page: page - 1 } }} className={buttonClass("secondary")}>
              {t("list.newer")}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-slate-500">{t("list.page", { page })}</span>
          {hasMore ? (
            <Link href={{ pathname: "/tasks", query: { page: page + 1 } }} className={buttonClass("secondary")}>
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

async function TaskOutcome({ task, slug }: { task: TaskDto; slug?: string }) {
  const t = await getTranslations("tasks");
  const errorsT = await getTranslations("errors");
  if (task.status === "succeeded" && task.outputUrl) return <TaskOutput task={task} />;
  if (task.status === "failed") return <p className="text-sm text-red-700" data-error-code={task.errorCode ?? undefined}>{errorsT(providerErrorMessageKey(task.errorCode))}</p>;
  if (!isFinished(task) && slug) {
    return (
      <Link href={{ pathname: `/tasks/${slug}`, query: { task: task.uuid } }} className="text-sm font-medium text-brand-700 underline">
        {t("list.view")}
      </Link>
    );
  }
  return null;
}
