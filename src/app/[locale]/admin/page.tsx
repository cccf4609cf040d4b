import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { requireAdmin } from "@/lib/auth/admin";
import { getOverview } from "@/services/admin/overview";
import { StatCard } from "./admin-ui";
import { RevenueChart, TasksByTypeChart } from "./overview-charts";

export const dynamic = "force-dynamic";

export default async function AdminOverviewPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  await requireAdmin("page");
  const t = await getTranslations("admin.overview");
  const format = await getFormatter();
  const o = await getOverview();
  const n = (v: number) => format.number(v);
  // The chart shows the main currency (the one with the most revenue in the window).
  const totals = new Map<string, number>();
  for (const r of o.revenueByDay) totals.set(r.currency, (totals.get(r.currency) ?? 0) + r.amount);
  const currency = [...totals].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "usd";
  const revenue = o.revenueByDay.filter((r) => r.currency === currency);
  return (
    <div className="space-y-8" data-testid="admin-overview">
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <StatCard label={t("users")} value={n(o.users)} testId="stat-users" />
        <StatCard label={t("payingUsers")} value={n(o.payingUsers)} />
        <StatCard label={t("granted")} value={n(o.credits.granted)} />
        <StatCard label={t("spent")} value={n(o.credits.spent)} />
        <StatCard label={t("expired")} value={n(o.credits.expired)} />
        <StatCard label={t("outstanding")} value={n(o.credits.outstanding)} />
        <StatCard
          label={t("failureRate")}
          value={
            <span title={t("failureRateValue", { rate: format.number(o.tasks.failureRate, { style: "percent" }), finished: o.tasks.finished })}>
              {format.number(o.tasks.failureRate, { style: "percent", maximumFractionDigits: 1 })}
            </span>
          }
        />
      </div>
      <section>
        <h2 className="mb-2 font-semibold">
          {t("revenue")} · {currency.toUpperCase()}
        </h2>
        <RevenueChart revenue={revenue} revenueLabel={currency.toUpperCase()} />
      </section>
      <section className="grid gap-8 md:grid-cols-2">
        <div>
          <h2 className="mb-2 font-semibold">{t("tasksByType")}</h2>
          <TasksByTypeChart byType={o.tasks.byType} totalLabel={t("total")} failedLabel={t("failed")} />
        </div>
        <div>
          <h2 className="mb-2 font-semibold">{t("tasksByStatus")}</h2>
          <ul className="space-y-1 text-sm">
            {Object.entries(o.tasks.byStatus).map(([status, count]) => (
              <li key={status} className="flex justify-between border-b py-1">
                <span className="font-mono">{status}</span>
                <span>{n(count)}</span>
              </li>
            ))}
          </ul>
        </div>
      </section>
    </div>
  );
}
