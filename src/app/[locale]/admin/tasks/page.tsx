import { buttonClass } from "@/components/ui/button";
import { TASK_STATUSES } from "@/db/schema";
import { Link } from "@/i18n/navigation";
import { listAllTasks } from "@/services/admin/lists";
import { type AdminListPageProps, cell, Empty, inputClass, mono, openAdminListPage, Pager, param, Table } from "../admin-ui";

export const dynamic = "force-dynamic";

const NAME = /^[a-z0-9_.-]{1,64}$/i;

export default async function AdminTasksPage(props: AdminListPageProps) {
  const { locale, t, format, query: sp, page } = await openAdminListPage(props);
  const status = (TASK_STATUSES as readonly string[]).includes(param(sp.status)) ? param(sp.status) : "";
  const type = NAME.test(param(sp.type)) ? param(sp.type) : "";
  const provider = NAME.test(param(sp.provider)) ? param(sp.provider) : "";
  const { items, hasMore } = await listAllTasks({ status, type, provider, page });
  const date = (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" }) : "—");
  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-2" action={`/${locale}/admin/tasks`}>
        <label className="flex flex-col gap-1 text-sm">
          {t("common.status")}
          <select name="status" defaultValue={status} className={inputClass}>
            <option value="">{t("common.any")}</option>
            {TASK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t("tasks.type")}
          <input name="type" defaultValue={type} className={inputClass} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t("tasks.provider")}
          <input name="provider" defaultValue={provider} className={inputClass} />
        </label>
        <button className={buttonClass("secondary")}>{t("common.filter")}</button>
      </form>
      {items.length === 0 ? (
        <Empty />
      ) : (
        <Table
          head={[t("common.date"), t("common.user"), t("tasks.type"), t("tasks.provider"), t("common.status"), t("common.credits"), t("tasks.refund"), t("tasks.error")]}
          testId="admin-tasks"
        >
          {items.map((x) => (
            <tr key={x.uuid} data-status={x.status}>
              <td className={cell}>
                {date(x.createdAt)}
                <div className={`${mono} text-slate-400`}>{x.uuid}</div>
              </td>
              <td className={cell}>
                <Link href={`/admin/users/${x.userUuid}`} className="text-brand-700 underline">
                  {x.userEmail ?? x.userUuid}
                </Link>
              </td>
              <td className={`${cell} font-mono text-xs`}>{x.type}</td>
              <td className={`${cell} font-mono text-xs`}>{x.provider}</td>
              <td className={cell}>{x.status}</td>
              <td className={cell}>{x.creditsUsed}</td>
              <td className={`${cell} ${mono}`}>{x.refundTransNo ? `${t("tasks.refunded")}: ${x.refundTransNo}` : "—"}</td>
              <td className={`${cell} max-w-sm`}>
                {x.errorMessage}
                {(x.errorMessage || x.outputJson) && (
                  <details className="mt-1">
                    <summary className="cursor-pointer text-xs text-brand-700">{t("tasks.raw")}</summary>
                    <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs whitespace-pre-wrap">{x.outputJson ?? t("tasks.noRaw")}</pre>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager path="/admin/tasks" query={{ status, type, provider }} page={page} hasMore={hasMore} />
    </div>
  );
}
