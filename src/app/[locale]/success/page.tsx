import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";
import { taskTypes } from "@/services/tasks/registry";
import { getCurrentUser } from "@/lib/current-user";
import { AppError } from "@/lib/errors";
import { confirmCheckoutSession, type ConfirmedCheckout } from "@/services/payments";
import { describeError } from "@/lib/log-safe";
import { logger } from "@/lib/logger";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "billing.meta" });
  return { title: t("successTitle"), robots: { index: false } };
}

const problemKey = (error: unknown) => {
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
  const sessionId = (await searchParams).session_id;
  const user = await getCurrentUser();

  let body: React.ReactNode;
  if (!user) {
    body = (
      <div className="space-y-4">
        <Alert>{t("signIn")}</Alert>
        <Link
          href={{
            pathname: "/auth/signin",
            query: { callbackUrl: `/${locale}/success${typeof sessionId === "string" ? `?session_id=${encodeURIComponent(sessionId)}` : ""}` },
          }}
          className={buttonClass("primary")}
        >
          {t("signInButton")}
        </Link>
      </div>
    );
  } else if (typeof sessionId !== "string" || sessionId === "") {
    body = <Alert tone="error">{t("missing")}</Alert>;
  } else {
    let confirmed: ConfirmedCheckout | null = null;
    let problem: string | null = null;
    try {
      confirmed = await confirmCheckoutSession({ sessionId, userUuid: user.uuid });
    } catch (error) {
      if (!(error instanceof AppError)) logger.error({ error: describeError(error) }, "[success page] confirming the checkout failed");
      problem = problemKey(error);
    }
    if (!confirmed) {
      body = (
        <div data-testid="success-problem" data-problem={problem}>
          <Alert tone="error">{t(problem as "notFound")}</Alert>
        </div>
      );
    } else {
      const { order, balance } = confirmed;
      const amount = format.number(order.amount / 100, { style: "currency", currency: order.currency.toUpperCase() });
      const message =
        order.status === "paid"
          ? t("paid", { credits: format.number(order.credits) })
          : order.status === "refunded"
            ? t("refunded")
            : order.status === "created"
              ? t("processing")
              : t("closed");
      body = (
        <div className="space-y-4" data-testid="success-order" data-status={order.status} data-credits={order.credits} data-balance={balance}>
          <Alert tone={order.status === "paid" ? "success" : "info"}>{message}</Alert>
          {order.status === "paid" && <p className="text-lg font-semibold">{t("balance", { balance: format.number(balance) })}</p>}
          <p className="text-sm text-slate-500">{t("order", { orderNo: order.orderNo, amount })}</p>
          {order.status === "created" && (
            <a href="" className={buttonClass("secondary")}>
              {t("refresh")}
            </a>
          )}
        </div>
      );
    }
  }

  return (
    <div className="mx-auto max-w-2xl px-4 py-12">
      <h1 className="mb-6 text-3xl font-bold tracking-tight">{t("title")}</h1>
      {body}
      <div className="mt-8 flex flex-wrap gap-3">
        <Link href={`/tasks/${taskTypes()[0].slug}`} className={buttonClass("primary")}>
          {t("generate")}
        </Link>
        <Link href="/credits" className={buttonClass("secondary")}>
          {t("viewCredits")}
        </Link>
      </div>
    </div>
  );
}
