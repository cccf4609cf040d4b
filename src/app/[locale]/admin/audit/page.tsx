import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { requireAdmin } from "@/lib/admin";
import { pageFromSearchParam } from "@/lib/pagination";
import { listAudit } from "@/services/admin/audit";
import { Empty, Pager, Table, cell, mono } from "../admin-ui";

export const dynamic = "force-dynamic";

export default async function AdminAuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  await requireAdmin("page");
  const t = await getTranslations("admin");
  const format = await getFormatter();
  const page = pageFromSearchParam((await searchParams).page);
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
