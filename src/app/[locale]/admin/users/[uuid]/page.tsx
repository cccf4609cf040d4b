import { notFound } from "next/navigation";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { ClientMessages } from "@/i18n/client-messages";
import { Link } from "@/i18n/navigation";
import { requireAdmin } from "@/lib/admin";
import { NotFoundError } from "@/lib/errors";
import { getUserDetail } from "@/services/admin/users";
import { Card, Empty, Table, cell, mono } from "../../admin-ui";
import { UserActions } from "./user-actions";

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
  const date = (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" }) : "—");
  return (
    <div className="space-y-8" data-testid="admin-user" data-user-uuid={d.user.uuid}>
      <div>
        <Link href="/admin/users" className="text-sm text-brand-700 underline">
          {t("users.back")}
        </Link>
        <h2 className="mt-2 text-xl font-semibold break-all">{d.user.email}</h2>
        <p className={`${mono} text-slate-500`}>{d.user.uuid}</p>
      </div>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-3">
        <Card label={t("users.balance")} value={format.number(d.balance)} testId="user-balance" />
        <Card label={t("users.state")} value={d.user.disabledAt ? `${t("users.disabled")} · ${date(d.user.disabledAt)}` : t("users.active")} />
        <Card label={t("users.created")} value={<span className="text-base">{date(d.user.createdAt)}</span>} />
      </div>
      <ClientMessages namespaces={["admin.actions"]}>
        <UserActions userUuid={d.user.uuid} disabled={!!d.user.disabledAt} />
      </ClientMessages>

      <section>
        <h3 className="mb-2 font-semibold">{t("users.grants")}</h3>
        {d.grants.length === 0 ? (
          <Empty />
        ) : (
          <Table head={[t("users.transNo"), t("common.credits"), t("users.remaining"), t("users.expires"), t("common.date")]}>
          {d.grants.map((g) => (
            <tr key={g.transNo}>
              <td className={`${cell} ${mono}`}>{g.transNo}</td>
              <td className={cell}>{g.credits}</td>
              <td className={cell}>{g.remaining}</td>
              <td className={cell}>{g.expiresAt ? date(g.expiresAt) : t("users.never")}</td>
              <td className={cell}>{date(g.createdAt)}</td>
            </tr>
          ))}
        </Table>
        )}
      </section>

      <section>
        <h3 className="mb-2 font-semibold">{t("users.ledger")}</h3>
        {d.ledger.length === 0 ? (
          <Empty />
        ) : (
          <Table head={[t("common.date"), t("users.type"), t("common.credits"), t("common.reason"), t("users.transNo")]}>
          {d.ledger.map((r) => (
            <tr key={r.transNo}>
              <td className={cell}>{date(r.createdAt)}</td>
              <td className={`${cell} font-mono text-xs`}>{r.transType}</td>
              <td className={`${cell} ${r.credits < 0 ? "text-red-700" : "text-green-700"}`}>{r.credits > 0 ? `+${r.credits}` : r.credits}</td>
              <td className={cell}>{r.reason}</td>
              <td className={`${cell} ${mono}`}>{r.transNo}</td>
            </tr>
          ))}
        </Table>
        )}
      </section>

      <section>
        <h3 className="mb-2 font-semibold">{t("users.tasks")}</h3>
        {d.tasks.length === 0 ? (
          <Empty />
        ) : (
          <Table head={[t("common.date"), t("tasks.type"), t("common.status"), t("common.credits"), t("tasks.refund"), t("tasks.error")]}>
          {d.tasks.map((x) => (
            <tr key={x.uuid}>
              <td className={cell}>{date(x.createdAt)}</td>
              <td className={`${cell} font-mono text-xs`}>{x.type}</td>
              <td className={cell}>{x.status}</td>
              <td className={cell}>{x.creditsUsed}</td>
              <td className={`${cell} ${mono}`}>{x.refundTransNo}</td>
              <td className={cell}>{x.errorMessage}</td>
            </tr>
          ))}
        </Table>
        )}
      </section>

      <section>
        <h3 className="mb-2 font-semibold">{t("users.orders")}</h3>
        {d.orders.length === 0 ? (
          <Empty />
        ) : (
          <Table head={[t("orders.orderNo"), t("common.status"), t("common.credits"), t("orders.amount"), t("common.date")]}>
          {d.orders.map((o) => (
            <tr key={o.orderNo}>
              <td className={`${cell} ${mono}`}>{o.orderNo}</td>
              <td className={cell}>{o.status}</td>
              <td className={cell}>{o.credits}</td>
              <td className={cell}>{format.number(o.amount / 100, { style: "currency", currency: o.currency.toUpperCase() })}</td>
              <td className={cell}>{date(o.createdAt)}</td>
            </tr>
          ))}
        </Table>
        )}
      </section>
    </div>
  );
}
