import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { CreditsPurchase } from "@/components/billing/credits-purchase";
import { LowBalanceBanner } from "@/components/billing/low-balance-banner";
import { topUpFor } from "@/services/payments/top-up";
import { PurchaseUnavailable } from "@/components/billing/purchase-unavailable";
import { isPlan, PLAN_PARAM, RESUME_PARAM } from "@/components/billing/resume";
import { SubscriptionSection } from "@/components/billing/subscription-section";
import { ClientMessages } from "@/i18n/client-messages";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Link } from "@/i18n/navigation";
import { requirePageUser } from "@/lib/auth/page-auth";
import { pageFromSearchParam } from "@/lib/http/pagination";
import { isStripeConfigured } from "@/lib/stripe";
import { cn } from "@/lib/utils";
import { getUserCredits, listCredits, type CreditHistoryItem } from "@/services/credits/ledger";
import { taskTypeByTransType } from "@/services/tasks/registry";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ page?: string | string[]; [RESUME_PARAM]?: string | string[]; [PLAN_PARAM]?: string | string[] }> };

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
  "usage",
  "chat",
]);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "credits.meta" }))("title") };
}

/** Where a ledger row leads: its task (the type's page, or the history, with ?task=) or its order. */
function rowLink(row: CreditHistoryItem) {
  if (row.taskUuid) {
    const type = taskTypeByTransType(row.transType);
    return { pathname: type ? `/tasks/${type.slug}` : "/tasks", query: { task: row.taskUuid } };
  }
  if (row.orderNo) return { pathname: "/orders", hash: `order-${row.orderNo}` };
  return null;
}

export default async function CreditsPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const query = await searchParams;
  const resume = typeof query[RESUME_PARAM] === "string" ? query[RESUME_PARAM] : null;
  const plan = typeof query[PLAN_PARAM] === "string" && isPlan(query[PLAN_PARAM]) ? query[PLAN_PARAM] : null;
  const user = await requirePageUser(
    locale,
    resume ? `/credits?${RESUME_PARAM}=${encodeURIComponent(resume)}` : plan ? `/credits?${PLAN_PARAM}=${encodeURIComponent(plan)}#plans` : "/credits",
  );
  const page = pageFromSearchParam(query.page);
  const configured = isStripeConfigured();
  const [t, typeT, format, credits, history, topUp] = await Promise.all([
    getTranslations("credits"),
    getTranslations("taskTypes"),
    getFormatter(),
    getUserCredits(user.uuid),
    listCredits(user.uuid, { page, pageSize: 20 }),
    topUpFor(user.uuid),
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
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <LowBalanceBanner balance={credits.balance} topUp={topUp} />
      <Card className="mt-6 gap-2">
        <CardHeader>
          <CardDescription>{t("balance")}</CardDescription>
          <CardTitle className="text-4xl font-bold" data-testid="credits-balance" data-balance={credits.balance}>
            {t("balanceValue", { balance: credits.balance })}
          </CardTitle>
        </CardHeader>
        <CardContent>
          <p className="text-sm text-muted-foreground" data-testid="credits-next-expiry">
            {credits.nextExpiry
              ? t("nextExpiry", { credits: credits.nextExpiry.credits, date: date(credits.nextExpiry.expiresAt) })
              : t("noExpiry")}
          </p>
          {credits.held > 0 && (
            <p className="mt-1 text-sm text-muted-foreground" data-testid="credits-held" data-held={credits.held}>
              {t("held", { credits: credits.held })}
            </p>
          )}
        </CardContent>
      </Card>

      {!configured && <PurchaseUnavailable />}

      <ClientMessages namespaces={["billing"]}>
        <SubscriptionSection userUuid={user.uuid} configured={configured} resume={plan} />

        <CreditsPurchase user={user} configured={configured} resume={resume} />
      </ClientMessages>

      <section className="mt-10">
        <h2 className="text-xl font-semibold">{t("history.title")}</h2>
        {history.items.length === 0 ? (
          <p className="mt-4 text-sm text-muted-foreground">{t("history.empty")}</p>
        ) : (
          <div className="mt-4 rounded-xl border bg-card">
            <Table data-testid="credits-history">
              <TableHeader className="hidden sm:table-header-group">
                <TableRow>
                  <TableHead>{t("history.date")}</TableHead>
                  <TableHead>{t("history.type")}</TableHead>
                  <TableHead className="text-right">{t("history.credits")}</TableHead>
                  <TableHead>{t("history.expires")}</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {history.items.map((row) => {
                  const link = rowLink(row);
                  return (
                    // On a phone each row is a small card: type and amount on top, dates below.
                    <TableRow key={row.transNo} className="grid grid-cols-2 gap-x-4 px-2 py-3 sm:table-row sm:p-0" data-testid="ledger-row" data-trans-type={row.transType}>
                      <TableCell className="order-3 text-muted-foreground sm:text-foreground">{date(row.createdAt)}</TableCell>
                      <TableCell className="order-1 font-medium sm:font-normal">
                        {link ? (
                          <Link href={link} className="text-primary underline-offset-4 hover:underline" data-testid="ledger-link">
                            {ledgerLabel(row.transType)}
                          </Link>
                        ) : (
                          ledgerLabel(row.transType)
                        )}
                        {row.reserved !== null && (
                          // A hold's settlement: what was reserved, and what of it was spent.
                          <span className="block text-xs font-normal text-muted-foreground" data-testid="ledger-settlement" data-reserved={row.reserved}>
                            {t("history.settlement", { reserved: row.reserved, spent: -row.credits })}
                          </span>
                        )}
                      </TableCell>
                      <TableCell className={cn("order-2 text-right font-semibold", row.credits > 0 && "text-success")}>
                        {row.credits > 0 ? `+${row.credits}` : row.credits}
                      </TableCell>
                      <TableCell className="order-4 text-right text-muted-foreground sm:text-left">
                        {row.expiredAt && row.credits > 0 ? date(row.expiredAt) : ""}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
        )}
        <nav className="mt-4 flex items-center justify-between text-sm">
          {page > 1 ? (
            <Link href={{ pathname: "/credits", query: { page: page - 1 } }} className="text-primary underline">
              {t("history.newer")}
            </Link>
          ) : (
            <span />
          )}
          <span className="text-muted-foreground">{t("history.page", { page })}</span>
          {history.hasMore ? (
            <Link href={{ pathname: "/credits", query: { page: page + 1 } }} className="text-primary underline">
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
