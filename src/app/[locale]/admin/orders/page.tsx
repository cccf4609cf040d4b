import { buttonClass } from "@/components/ui/button";
import { TableCell, TableRow } from "@/components/ui/table";
import { ORDER_STATUSES } from "@/db/schema";
import { Link } from "@/i18n/navigation";
import { listAllOrders } from "@/services/admin/lists";
import { type AdminListPageProps, AdminTable, Empty, linkClass, mono, openAdminListPage, OrderStatusBadge, Pager, param, StatusFilter, dateTimeOf } from "../admin-ui";

export const dynamic = "force-dynamic";

export default async function AdminOrdersPage(props: AdminListPageProps) {
  const { locale, t, format, query: sp, page } = await openAdminListPage(props);
  // The statuses come from the schema, so new ones appear here without a change.
  const status = (ORDER_STATUSES as readonly string[]).includes(param(sp.status)) ? param(sp.status) : "";
  const { items, hasMore } = await listAllOrders({ status, page });
  const date = dateTimeOf(format);
  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-2" action={`/${locale}/admin/orders`}>
        <StatusFilter label={t("common.status")} anyLabel={t("common.any")} statuses={ORDER_STATUSES} value={status} />
        <button className={buttonClass("secondary")}>{t("common.filter")}</button>
      </form>
      {items.length === 0 ? (
        <Empty />
      ) : (
        <AdminTable
          head={[t("common.date"), t("orders.orderNo"), t("common.user"), t("common.status"), t("common.credits"), t("orders.amount"), t("orders.paid")]}
          testId="admin-orders"
        >
          {items.map((o) => (
            <TableRow key={o.orderNo} data-status={o.status}>
              <TableCell>{date(o.createdAt)}</TableCell>
              <TableCell className={`${mono} text-muted-foreground`}>{o.orderNo}</TableCell>
              <TableCell>
                <Link href={`/admin/users/${o.userUuid}`} className={linkClass}>
                  {o.userEmail ?? o.userUuid}
                </Link>
              </TableCell>
              <TableCell>
                <OrderStatusBadge status={o.status} />
              </TableCell>
              <TableCell>{format.number(o.credits)}</TableCell>
              <TableCell>{format.number(o.amount / 100, { style: "currency", currency: o.currency.toUpperCase() })}</TableCell>
              <TableCell>{date(o.paidAt)}</TableCell>
            </TableRow>
          ))}
        </AdminTable>
      )}
      <Pager path="/admin/orders" query={{ status }} page={page} hasMore={hasMore} />
    </div>
  );
}
