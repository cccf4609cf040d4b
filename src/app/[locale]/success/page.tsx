import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { SuccessRefresh } from "@/components/billing/success-refresh";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Link } from "@/i18n/navigation";
import { getCurrentUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/http/errors";
import { describeError } from "@/lib/log-safe";
import { logger } from "@/lib/logger";
import { confirmCheckoutSession, type ConfirmedCheckout } from "@/services/payments";
import { taskTypes } from "@/services/tasks/registry";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "billing.meta" });
  return { title: t("successTitle"), robots: { index: false } };
}

/** Every state the page can be in; each has its own heading and words (billing.success.<state>). */
type State = "paid" | "processing" | "refunded" | "closed" | "review" | "notFound" | "forbidden" | "signIn" | "notConfigured" | "unavailable";

const problemState = (error: unknown): State => {
  if (!(error instanceof AppError)) return "unavailable";
  switch (error.status) {
    case 400:
    case 404:
      return "notFound";
    case 403:
      return "forbidden";
    case 503:
      return (error.details as { reason?: string } | undefined)?.reason === "stripe_not_configured" ? "notConfigured" : "unavailable";
    default:
      return "unavailable";
  }
};

const orderState = (status: ConfirmedCheckout["order"]["status"]): State => {
  switch (status) {
    case "paid":
      return "paid";
    case "created":
      return "processing";
    case "refunded":
      return "refunded";
    case "needs_review":
    case "disputed":
      return "review";
    default:
      return "closed";
  }
};

// Stripe sends the buyer here with ?session_id=cs_...; we ask Stripe about the session
// and run the same idempotent fulfilment as the webhook, so the credits show at once.
export default async function SuccessPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ session_id?: string | string[] }>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("billing.success");
  const format = await getFormatter();
  const raw = (await searchParams).session_id;
  const sessionId = typeof raw === "string" && raw !== "" ? raw : null;
  const user = sessionId ? await getCurrentUser() : null;

  let state: State;
  let confirmed: ConfirmedCheckout | null = null;
  if (!sessionId) state = "notFound";
  else if (!user) state = "signIn";
  else {
    try {
      confirmed = await confirmCheckoutSession({ sessionId, userUuid: user.uuid });
      state = orderState(confirmed.order.status);
    } catch (error) {
      if (!(error instanceof AppError)) logger.error({ error: describeError(error) }, "[success page] confirming the checkout failed");
      state = problemState(error);
    }
  }

  const good = state === "paid";
  const order = confirmed?.order;
  return (
    <div className="mx-auto max-w-2xl px-4 py-12" data-testid="success-state" data-state={state}>
      <Card>
        <CardHeader>
          <CardTitle>
            <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t(`${state}.title`)}</h1>
          </CardTitle>
          {!order && <CardDescription>{t(`${state}.body`)}</CardDescription>}
        </CardHeader>
        <CardContent className="space-y-4">
          {order && confirmed ? (
            <div className="space-y-4" data-testid="success-order" data-status={order.status} data-credits={order.credits} data-balance={confirmed.balance}>
              <Alert tone={good ? "success" : "info"}>{t(`${state}.body`, { credits: format.number(order.credits) })}</Alert>
              {good && <p className="text-lg font-semibold">{t("balance", { balance: format.number(confirmed.balance) })}</p>}
              <p className="text-sm text-muted-foreground">
                {t("order", { orderNo: order.orderNo, amount: format.number(order.amount / 100, { style: "currency", currency: order.currency.toUpperCase() }) })}
              </p>
              {state === "processing" && (
                <>
                  <SuccessRefresh mode="poll" />
                  <a href="" className={buttonClass("outline")} data-testid="success-refresh">
                    {t("refresh")}
                  </a>
                </>
              )}
              {good && confirmed.fulfilledNow && <SuccessRefresh mode="once" />}
            </div>
          ) : (
            state !== "signIn" && <div data-testid="success-problem" data-problem={state} />
          )}
          <div className="flex flex-wrap gap-3 pt-2">
            {state === "signIn" ? (
              <Link
                href={{ pathname: "/auth/signin", query: { callbackUrl: `/${locale}/success?session_id=${encodeURIComponent(sessionId ?? "")}` } }}
                className={buttonClass("primary")}
              >
                {t("signInButton")}
              </Link>
            ) : (
              <>
                <Link href={`/tasks/${taskTypes()[0].slug}`} className={buttonClass(good ? "primary" : "outline")}>
                  {t("generate")}
                </Link>
                <Link href="/credits" className={buttonClass(good ? "outline" : "primary")}>
                  {t("viewCredits")}
                </Link>
              </>
            )}
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
