import { listAudit } from "@/services/admin/audit";
import { type AdminListPageProps, cell, Empty, mono, openAdminListPage, Pager, Table } from "../admin-ui";

export const dynamic = "force-dynamic";

export default async function AdminAuditPage(props: AdminListPageProps) {
  const { t, format, page } = await openAdminListPage(props);
  const { items, hasMore } = await listAudit({ page });
  const json = (v: unknown) => (v === null ? "—" : JSON.stringify(v));
  return (
    <div className="space-y-4">
      {items.length === 0 ? (
        <Empty />
      ) : (
        <Table head={[t("common.date"), t("audit.admin"), t("audit.action"), t("audit.target"), t("audit.before"), t("audit.after"), t("common.reason")]} testId="admin-audit">
          {items.map((a) => (
            <tr key={a.id}>
              <td className={cell}>{format.dateTime(new Date(a.createdAt), { dateStyle: "medium", timeStyle: "medium" })}</td>
              <td className={cell}>{a.adminEmail}</td>
              <td className={`${cell} font-mono text-xs`}>{a.action}</td>
              <td className={`${cell} ${mono}`}>
                {a.targetType}:{a.targetId}
              </td>
              <td className={`${cell} ${mono}`}>{json(a.before)}</td>
              <td className={`${cell} ${mono}`}>{json(a.after)}</td>
              <td className={cell}>{a.reason}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager path="/admin/audit" query={{}} page={page} hasMore={hasMore} />
    </div>
  );
}
