import { buttonClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { Input } from "@/components/ui/input";
import { TableCell, TableRow } from "@/components/ui/table";
import { Link } from "@/i18n/navigation";
import { searchUsers } from "@/services/admin/users";
import { type AdminListPageProps, AdminTable, Empty, linkClass, openAdminListPage, Pager, param } from "../admin-ui";

export const dynamic = "force-dynamic";

export default async function AdminUsersPage(props: AdminListPageProps) {
  const { locale, t, format, query: sp, page } = await openAdminListPage(props, "admin.users");
  const q = param(sp.q).slice(0, 254);
  const { items, hasMore } = await searchUsers({ q, page });
  return (
    <div className="space-y-4">
      <form className="flex flex-wrap gap-2" action={`/${locale}/admin/users`}>
        <Input name="q" defaultValue={q} placeholder={t("search")} aria-label={t("search")} className="w-auto min-w-64" />
        <button className={buttonClass("primary")}>{t("searchButton")}</button>
      </form>
      {items.length === 0 ? (
        <Empty />
      ) : (
        <AdminTable head={[t("email"), t("name"), t("created"), t("state")]} testId="admin-users">
          {items.map((u) => (
            <TableRow key={u.uuid} data-testid="admin-user-row">
              <TableCell>
                <Link href={`/admin/users/${u.uuid}`} className={linkClass}>
                  {u.email}
                </Link>
              </TableCell>
              <TableCell>{u.name}</TableCell>
              <TableCell>{format.dateTime(new Date(u.createdAt), { dateStyle: "medium" })}</TableCell>
              <TableCell>
                <Badge variant={u.disabledAt ? "destructive" : "success"}>{u.disabledAt ? t("disabled") : t("active")}</Badge>
              </TableCell>
            </TableRow>
          ))}
        </AdminTable>
      )}
      <Pager path="/admin/users" query={{ q }} page={page} hasMore={hasMore} />
    </div>
  );
}
