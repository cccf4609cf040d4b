import { getFormatter, getTranslations } from "next-intl/server";
import type { OrderDto } from "@/services/payments";

const statusTone: Record<OrderDto["status"], string> = {
  created: "bg-amber-50 text-amber-800",
  paid: "bg-green-50 text-green-800",
  failed: "bg-red-50 text-red-800",
  expired: "bg-slate-100 text-slate-600",
  refunded: "bg-slate-100 text-slate-700",
  disputed: "bg-red-50 text-red-800",
  needs_review: "bg-amber-50 text-amber-800",
};

/** The user's orders: a table on wide screens, stacked cards on a phone. */
export async function OrdersTable({ orders }: { orders: OrderDto[] }) {
  const t = await getTranslations("billing.orders");
  const format = await getFormatter();
  const money = (o: OrderDto) => format.number(o.amount / 100, { style: "currency", currency: o.currency.toUpperCase() });
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  if (orders.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500" data-testid="orders-list" data-count={0}>
        {t("empty")}
      </p>
    );
  }
  const badge = (o: OrderDto) => (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${statusTone[o.status]}`}>{t(`statuses.${o.status}`)}</span>
  );
  return (
    <div data-testid="orders-list" data-count={orders.length}>
      <ul className="space-y-3 sm:hidden">
        {orders.map((o) => (
          <li key={o.orderNo} className="rounded-xl border border-slate-200 p-4" data-testid="order-row" data-order-no={o.orderNo} data-status={o.status}>
            <div className="flex items-center justify-between gap-2">
              <span className="font-semibold">{format.number(o.credits)} {t("credits")}</span>
              {badge(o)}
            </div>
            <p className="mt-1 text-sm text-slate-700">{money(o)}</p>
            <p className="mt-1 text-xs text-slate-500">{date(o.createdAt)}</p>
            <p className="mt-1 break-all font-mono text-xs text-slate-400">{o.orderNo}</p>
          </li>
        ))}
      </ul>
      <table className="hidden w-full text-left text-sm sm:table">
        <thead className="border-b border-slate-200 text-slate-500">
          <tr>
            <th className="py-2 pr-4 font-medium">{t("date")}</th>
            <th className="py-2 pr-4 font-medium">{t("orderNo")}</th>
            <th className="py-2 pr-4 text-right font-medium">{t("credits")}</th>
            <th className="py-2 pr-4 text-right font-medium">{t("amount")}</th>
            <th className="py-2 font-medium">{t("status")}</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.orderNo} className="border-b border-slate-100">
              <td className="py-2 pr-4 whitespace-nowrap">{date(o.createdAt)}</td>
              <td className="py-2 pr-4 font-mono text-xs text-slate-500">{o.orderNo}</td>
              <td className="py-2 pr-4 text-right">{format.number(o.credits)}</td>
              <td className="py-2 pr-4 text-right">{money(o)}</td>
              <td className="py-2">{badge(o)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
