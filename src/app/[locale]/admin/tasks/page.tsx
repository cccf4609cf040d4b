import { buttonClass } from "@/components/ui/button";
import { getTranslations } from "next-intl/server";
import { TableCell, TableRow } from "@/components/ui/table";
import { TASK_STATUSES } from "@/db/schema";
import { Link } from "@/i18n/navigation";
import { listAllTasks } from "@/services/admin/lists";
import { taskTypes } from "@/services/tasks/registry";
import {
  type AdminListPageProps,
  AdminTable,
  Empty,
  linkClass,
  mono,
  openAdminListPage,
  Pager,
  param,
  SelectFilter,
  StatusFilter,
  TaskStatusBadge,
  dateTimeOf,
  wrap,
} from "../admin-ui";

export const dynamic = "force-dynamic";

/** The filters' choices, from the task-type registry: each type (by its name) and every provider any type has. */
async function filterOptions() {
  const typeT = await getTranslations("taskTypes");
  const types = taskTypes().map((d) => ({ value: d.type, label: typeT(`${d.type}.name`) }));
  const providers = [...new Set(taskTypes().flatMap((d) => d.providers.names()))].sort().map((name) => ({ value: name, label: name }));
  return { types, providers };
}

export default async function AdminTasksPage(props: AdminListPageProps) {
  const { locale, t, format, query: sp, page } = await openAdminListPage(props);
  const { types, providers } = await filterOptions();
  const status = (TASK_STATUSES as readonly string[]).includes(param(sp.status)) ? param(sp.status) : "";
  // Only values the registry knows; anything else filters nothing.
  const type = types.some((o) => o.value === param(sp.type)) ? param(sp.type) : "";
  const provider = providers.some((o) => o.value === param(sp.provider)) ? param(sp.provider) : "";
  const { items, hasMore } = await listAllTasks({ status, type, provider, page });
  const date = dateTimeOf(format);
  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-2" action={`/${locale}/admin/tasks`}>
        <StatusFilter label={t("common.status")} anyLabel={t("common.any")} statuses={TASK_STATUSES} value={status} />
        <SelectFilter name="type" label={t("tasks.type")} anyLabel={t("common.any")} options={types} value={type} testId="admin-filter-type" />
        <SelectFilter name="provider" label={t("tasks.provider")} anyLabel={t("common.any")} options={providers} value={provider} testId="admin-filter-provider" />
        <button className={buttonClass("secondary")}>{t("common.filter")}</button>
      </form>
      {items.length === 0 ? (
        <Empty />
      ) : (
        <AdminTable
          head={[t("common.date"), t("common.user"), t("tasks.type"), t("tasks.provider"), t("common.status"), t("common.credits"), t("tasks.refund"), t("tasks.error")]}
          testId="admin-tasks"
        >
          {items.map((x) => (
            <TableRow key={x.uuid} data-status={x.status}>
              <TableCell>
                {date(x.createdAt)}
                <div className={`${mono} text-muted-foreground`}>{x.uuid}</div>
              </TableCell>
              <TableCell>
                <Link href={`/admin/users/${x.userUuid}`} className={linkClass}>
                  {x.userEmail ?? x.userUuid}
                </Link>
              </TableCell>
              <TableCell className={mono}>{x.type}</TableCell>
              <TableCell className={mono}>{x.provider}</TableCell>
              <TableCell>
                <TaskStatusBadge status={x.status} />
              </TableCell>
              <TableCell>{x.creditsUsed}</TableCell>
              <TableCell className={mono}>{x.refundTransNo ? `${t("tasks.refunded")}: ${x.refundTransNo}` : "—"}</TableCell>
              <TableCell className={wrap}>
                {x.errorMessage}
                {(x.errorMessage || x.outputJson) && (
                  <details className="mt-1">
                    <summary className={`cursor-pointer text-xs ${linkClass}`}>{t("tasks.raw")}</summary>
                    <pre className="mt-1 max-h-64 overflow-auto rounded-md bg-muted p-2 text-xs whitespace-pre-wrap">{x.outputJson ?? t("tasks.noRaw")}</pre>
                  </details>
                )}
              </TableCell>
            </TableRow>
          ))}
        </AdminTable>
      )}
      <Pager path="/admin/tasks" query={{ status, type, provider }} page={page} hasMore={hasMore} />
    </div>
  );
}
