import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { CreditsPurchase } from "@/components/billing/credits-purchase";
import { LowBalanceBanner } from "@/components/billing/low-balance-banner";
import { SubscriptionSection } from "@/components/billing/subscription-section";
import { ClientMessages } from "@/i18n/client-messages";
import { Link } from "@/i18n/navigation";
import { requirePageUser } from "@/lib/page-auth";
import { pageFromSearchParam } from "@/lib/pagination";
import { getUserCredits, listCredits } from "@/services/credits";
import { taskTypeByTransType } from "@/services/tasks/registry";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ page?: string | string[] }> };

const KNOWN_TYPES = new Set([
  "new_user",
  "order_pay",
  "system_add",
  "refund",
  "expire",
  "order_refund",
  "dispute",
  "dispute_reversal",
  "subscription_grant",
  "system_deduct",
]);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "credits.meta" }))("title") };
}

export default async function CreditsPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await requirePageUser(locale, "/credits");
  const page = pageFromSearchParam((await searchParams).page);
  const [t, typeT, format, credits, history] = await Promise.all([
    getTranslations("credits"),
    getTranslations("taskTypes"),
    getFormatter(),
    getUserCredits(user.uuid),
    listCredits(user.uuid, { page, pageSize: 20 }),
  ]);
  // A task type's debits carry its own label (its definition's labels.<locale>.ledger).
  const ledgerLabel = (transType: string) => {
    const taskType = taskTypeByTransType(transType);
    if (taskType) return typeT(`${taskType.type}.ledger`);
    return t(`types.${KNOWN_TYPES.has(transType) ? transType : "other"}`);
  };
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });

  return (
    <div className="mx-auto max-w-4xl px-4 py-10">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <LowBalanceBanner balance={credits.balance} />
      <div className="mt-6 rounded-xl border border-slate-200 p-6">
        <p className="text-sm text-slate-600">{t("balance")}</p>
        <p className="mt-1 text-4xl font-bold" data-testid="credits-balance" data-balance={credits.balance}>
          {t("balanceValue", { balance: credits.balance })}
        </p>
        <p className="mt-2 text-sm text-slate-600" data-testid="credits-next-expiry">
          {credits.nextExpiry
            ? t("nextExpiry", { credits: credits.nextExpiry.credits, date: date(credits.nextExpiry.expiresAt) })
            : t("noExpiry")}
        </p>
      </div>

      <ClientMessages namespaces={["billing"]}>
        <SubscriptionSection userUuid={user.uuid} />
        <CreditsPurchase />
      </ClientMessages>

      <section className="mt-10">
        <h2 className="text-xl font-semibold">{t("history.title")}</h2>
        {history.items.length === 0 ? (
          <p className="mt-4 text-sm text-slate-600">{t("history.empty")}</p>
        ) : (
          <table className="mt-4 w-full text-left text-sm" data-testid="credits-history">
            <thead className="hidden border-b border-slate-200 text-slate-500 sm:table-header-group">
              <tr>
                <th className="py-2 pr-4 font-medium">{t("history.date")}</th>
                <th className="py-2 pr-4 font-medium">{t("history.type")}</th>
                <th className="py-2 pr-4 text-right font-medium">{t("history.credits")}</th>
                <th className="py-2 font-medium">{t("history.expires")}</th>
              </tr>
            </thead>
            <tbody>
              {history.items.map((row) => (
                // On a phone each row is a small card: type and amount on top, dates below.
                <tr key={row.transNo} className="grid grid-cols-2 gap-x-4 border-b border-slate-100 py-3 sm:table-row sm:py-0">
                  <td className="order-3 text-slate-500 sm:py-2 sm:pr-4 sm:text-slate-900">{date(row.createdAt)}</td>
                  <td className="order-1 font-medium sm:py-2 sm:pr-4 sm:font-normal">
                    {ledgerLabel(row.transType)}
                  </td>
                  <td className={`order-2 text-right font-semibold sm:py-2 sm:pr-4 ${row.credits > 0 ? "text-green-700" : "text-slate-900"}`}>
                    {row.credits > 0 ? `+${row.credits}` : row.credits}
                  </td>
                  <td className="order-4 text-right text-slate-500 sm:py-2 sm:text-left">{row.expiredAt && row.credits > 0 ? date(row.expiredAt) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav className="mt-4 flex items-center justify-between text-sm">
          {page > 1 ? (
            <Link href={{ pathname: "/credits", query: { page: page - 1 } }} className="text-brand-700 underline">
              {t("history.newer")}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-slate-500">{t("history.page", { page })}</span>
          {history.hasMore ? (
            <Link href={{ pathname: "/credits", query: { page: page + 1 } }} className="text-brand-700 underline">
              {t("history.older")}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      </section>
    </div>
  );
}
