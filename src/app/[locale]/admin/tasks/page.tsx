import { buttonClass } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { TableCell, TableRow } from "@/components/ui/table";
import { TASK_STATUSES } from "@/db/schema";
import { Link } from "@/i18n/navigation";
import { listAllTasks } from "@/services/admin/lists";
import {
  type AdminListPageProps,
  AdminTable,
  Empty,
  linkClass,
  mono,
  openAdminListPage,
  Pager,
  param,
  StatusFilter,
  TaskStatusBadge,
  dateTimeOf,
  wrap,
} from "../admin-ui";

export const dynamic = "force-dynamic";

const NAME = /^[a-z0-9_.-]{1,64}$/i;

export default async function AdminTasksPage(props: AdminListPageProps) {
  const { locale, t, format, query: sp, page } = await openAdminListPage(props);
  const status = (TASK_STATUSES as readonly string[]).includes(param(sp.status)) ? param(sp.status) : "";
  const type = NAME.test(param(sp.type)) ? param(sp.type) : "";
  const provider = NAME.test(param(sp.provider)) ? param(sp.provider) : "";
  const { items, hasMore } = await listAllTasks({ status, type, provider, page });
  const date = dateTimeOf(format);
  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-2" action={`/${locale}/admin/tasks`}>
        <StatusFilter label={t("common.status")} anyLabel={t("common.any")} statuses={TASK_STATUSES} value={status} />
        <label className="flex flex-col gap-1 text-sm">
          {t("tasks.type")}
          <Input name="type" defaultValue={type} className="w-40" />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t("tasks.provider")}
          <Input name="provider" defaultValue={provider} className="w-40" />
        </label>
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
