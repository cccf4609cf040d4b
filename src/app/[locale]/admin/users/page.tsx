import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";
import { searchUsers } from "@/services/admin/users";
import { type AdminListPageProps, cell, Empty, inputClass, openAdminListPage, Pager, param, Table } from "../admin-ui";

export const dynamic = "force-dynamic";

export default async function AdminUsersPage(props: AdminListPageProps) {
  const { locale, t, format, query: sp, page } = await openAdminListPage(props, "admin.users");
  const q = param(sp.q).slice(0, 254);
  const { items, hasMore } = await searchUsers({ q, page });
  return (
    <div className="space-y-4">
      <form className="flex flex-wrap gap-2" action={`/${locale}/admin/users`}>
        <input name="q" defaultValue={q} placeholder={t("search")} aria-label={t("search")} className={`${inputClass} min-w-64`} />
        <button className={buttonClass("primary")}>{t("searchButton")}</button>
      </form>
      {items.length === 0 ? (
        <Empty />
      ) : (
        <Table head={[t("email"), t("name"), t("created"), t("state")]} testId="admin-users">
          {items.map((u) => (
            <tr key={u.uuid} data-testid="admin-user-row">
              <td className={cell}>
                <Link href={`/admin/users/${u.uuid}`} className="text-brand-700 underline">
                  {u.email}
                </Link>
              </td>
              <td className={cell}>{u.name}</td>
              <td className={cell}>{format.dateTime(new Date(u.createdAt), { dateStyle: "medium" })}</td>
              <td className={cell}>{u.disabledAt ? t("disabled") : t("active")}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager path="/admin/users" query={{ q }} page={page} hasMore={hasMore} />
    </div>
  );
}
