import { notFound } from "next/navigation";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { ClientMessages } from "@/i18n/client-messages";
import { Link } from "@/i18n/navigation";
import { requireAdmin } from "@/lib/auth/admin";
import { NotFoundError } from "@/lib/http/errors";
import { getUserDetail } from "@/services/admin/users";
import { listUserApiKeys } from "@/services/admin/api-keys";
import { TableCell, TableRow } from "@/components/ui/table";
import { AdminTable, dateTimeOf, Empty, linkClass, mono, OrderStatusBadge, StatCard, TaskStatusBadge, wrap } from "../../admin-ui";
import { UserActions } from "./user-actions";
import { ApiKeyRevoke } from "./api-key-revoke";

export const dynamic = "force-dynamic";

export default async function AdminUserPage({ params }: { params: Promise<{ locale: string; uuid: string }> }) {
  const { locale, uuid } = await params;
  setRequestLocale(locale);
  await requireAdmin("page");
  const t = await getTranslations("admin");
  const format = await getFormatter();
  const d = await getUserDetail(uuid).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const apiKeys = await listUserApiKeys(d.user.uuid);
  const date = dateTimeOf(format);
  return (
    <div className="space-y-8" data-testid="admin-user" data-user-uuid={d.user.uuid}>
      <div>
        <Link href="/admin/users" className={`text-sm ${linkClass}`}>
          {t("users.back")}
        </Link>
        <h2 className="mt-2 text-xl font-semibold break-all">{d.user.email}</h2>
        <p className={`${mono} break-all text-muted-foreground`}>{d.user.uuid}</p>
      </div>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-3">
        <StatCard label={t("users.balance")} value={format.number(d.balance)} testId="user-balance" />
        <StatCard label={t("users.state")} value={d.user.disabledAt ? `${t("users.disabled")} · ${date(d.user.disabledAt)}` : t("users.active")} />
        <StatCard label={t("users.created")} value={<span className="text-base">{date(d.user.createdAt)}</span>} />
      </div>
      <ClientMessages namespaces={["admin.actions"]}>
        <UserActions userUuid={d.user.uuid} disabled={!!d.user.disabledAt} />
      </ClientMessages>

      <section>
        <h3 className="mb-2 font-semibold">{t("users.grants")}</h3>
        {d.grants.length === 0 ? (
          <Empty />
        ) : (
          <AdminTable head={[t("users.transNo"), t("common.credits"), t("users.remaining"), t("users.expires"), t("common.date")]}>
            {d.grants.map((g) => (
              <TableRow key={g.transNo}>
                <TableCell className={mono}>{g.transNo}</TableCell>
                <TableCell>{g.credits}</TableCell>
                <TableCell>{g.remaining}</TableCell>
                <TableCell>{g.expiresAt ? date(g.expiresAt) : t("users.never")}</TableCell>
                <TableCell>{date(g.createdAt)}</TableCell>
              </TableRow>
            ))}
          </AdminTable>
        )}
      </section>

      <section>
        <h3 className="mb-2 font-semibold">{t("users.ledger")}</h3>
        {d.ledger.length === 0 ? (
          <Empty />
        ) : (
          <AdminTable head={[t("common.date"), t("users.type"), t("common.credits"), t("common.reason"), t("users.transNo")]}>
            {d.ledger.map((r) => (
              <TableRow key={r.transNo}>
                <TableCell>{date(r.createdAt)}</TableCell>
                <TableCell className={mono}>{r.transType}</TableCell>
                <TableCell className={r.credits < 0 ? "text-destructive" : "text-success"}>{r.credits > 0 ? `+${r.credits}` : r.credits}</TableCell>
                <TableCell className={wrap}>{r.reason}</TableCell>
                <TableCell className={mono}>{r.transNo}</TableCell>
              </TableRow>
            ))}
          </AdminTable>
        )}
      </section>

      <section>
        <h3 className="mb-2 font-semibold">{t("users.tasks")}</h3>
        {d.tasks.length === 0 ? (
          <Empty />
        ) : (
          <AdminTable head={[t("common.date"), t("tasks.type"), t("common.status"), t("common.credits"), t("tasks.refund"), t("tasks.error")]}>
            {d.tasks.map((x) => (
              <TableRow key={x.uuid}>
                <TableCell>{date(x.createdAt)}</TableCell>
                <TableCell className={mono}>{x.type}</TableCell>
                <TableCell>
                  <TaskStatusBadge status={x.status} />
                </TableCell>
                <TableCell>{x.creditsUsed}</TableCell>
                <TableCell className={mono}>{x.refundTransNo}</TableCell>
                <TableCell className={wrap}>{x.errorMessage}</TableCell>
              </TableRow>
            ))}
          </AdminTable>
        )}
      </section>

      <section data-testid="admin-api-keys">
        <h3 className="mb-2 font-semibold">{t("apiKeys.title")}</h3>
        {apiKeys.length === 0 ? (
          <Empty />
        ) : (
          <ClientMessages namespaces={["admin.apiKeys"]}>
            <AdminTable head={[t("apiKeys.name"), t("apiKeys.prefix"), t("common.status"), t("apiKeys.spent"), t("apiKeys.lastUsed"), t("common.date"), ""]}>
              {apiKeys.map((k) => (
                <TableRow key={k.id}>
                  <TableCell className={wrap}>{k.name}</TableCell>
                  <TableCell className={mono}>{k.prefix}…</TableCell>
                  <TableCell>{t(`apiKeys.statuses.${k.status}`)}</TableCell>
                  <TableCell>{k.monthlyCreditCap ? `${k.spentThisMonth} / ${k.monthlyCreditCap}` : k.spentThisMonth}</TableCell>
                  <TableCell>{date(k.lastUsedAt)}</TableCell>
                  <TableCell>{date(k.createdAt)}</TableCell>
                  <TableCell>{k.status !== "revoked" && <ApiKeyRevoke keyId={k.id} name={k.name} />}</TableCell>
                </TableRow>
              ))}
            </AdminTable>
          </ClientMessages>
        )}
      </section>

      <section>
        <h3 className="mb-2 font-semibold">{t("users.orders")}</h3>
        {d.orders.length === 0 ? (
          <Empty />
        ) : (
          <AdminTable head={[t("orders.orderNo"), t("common.status"), t("common.credits"), t("orders.amount"), t("common.date")]}>
            {d.orders.map((o) => (
              <TableRow key={o.orderNo}>
                <TableCell className={mono}>{o.orderNo}</TableCell>
                <TableCell>
                  <OrderStatusBadge status={o.status} />
                </TableCell>
                <TableCell>{o.credits}</TableCell>
                <TableCell>{format.number(o.amount / 100, { style: "currency", currency: o.currency.toUpperCase() })}</TableCell>
                <TableCell>{date(o.createdAt)}</TableCell>
              </TableRow>
            ))}
          </AdminTable>
        )}
      </section>
    </div>
  );
}
