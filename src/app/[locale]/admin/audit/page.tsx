import { TableCell, TableRow } from "@/components/ui/table";
import { listAudit } from "@/services/admin/audit";
import { type AdminListPageProps, AdminTable, Empty, mono, openAdminListPage, Pager, wrap } from "../admin-ui";

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
        <AdminTable
          head={[t("common.date"), t("audit.admin"), t("audit.action"), t("audit.target"), t("audit.before"), t("audit.after"), t("common.reason")]}
          testId="admin-audit"
        >
          {items.map((a) => (
            <TableRow key={a.id}>
              <TableCell>{format.dateTime(new Date(a.createdAt), { dateStyle: "medium", timeStyle: "medium" })}</TableCell>
              <TableCell>{a.adminEmail}</TableCell>
              <TableCell className={mono}>{a.action}</TableCell>
              <TableCell className={`${mono} ${wrap}`}>
                {a.targetType}:{a.targetId}
              </TableCell>
              <TableCell className={`${mono} ${wrap}`}>{json(a.before)}</TableCell>
              <TableCell className={`${mono} ${wrap}`}>{json(a.after)}</TableCell>
              <TableCell className={wrap}>{a.reason}</TableCell>
            </TableRow>
          ))}
        </AdminTable>
      )}
      <Pager path="/admin/audit" query={{}} page={page} hasMore={hasMore} />
    </div>
  );
}
