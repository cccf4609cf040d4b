import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { OrdersTable } from "@/components/billing/orders-table";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";
import { getCurrentUser } from "@/lib/auth/current-user";
import { pageFromSearchParam } from "@/lib/http/pagination";
import { listOrders } from "@/services/payments";

export const dynamic = "force-dynamic";
const PAGE_SIZE = 20;

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "billing.meta" });
  return { title: t("ordersTitle") };
}

export default async function OrdersPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ page?: string | string[] }>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("billing");
  const user = await getCurrentUser();
  if (!user) {
    return (
      <div className="mx-auto max-w-3xl space-y-4 px-4 py-10">
        <h1 className="text-3xl font-bold tracking-tight">{t("meta.ordersTitle")}</h1>
        <Alert>{t("success.signIn.body")}</Alert>
        <Link href={{ pathname: "/auth/signin", query: { callbackUrl: `/${locale}/orders` } }} className={buttonClass("primary")}>
          {t("success.signInButton")}
        </Link>
      </div>
    );
  }
  const page = pageFromSearchParam((await searchParams).page);
  const { items, hasMore } = await listOrders(user.uuid, { page, pageSize: PAGE_SIZE });
  return (
    <div className="mx-auto max-w-4xl px-4 py-10">
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-3xl font-bold tracking-tight">{t("meta.ordersTitle")}</h1>
        <Link href={{ pathname: "/credits", hash: "buy" }} className={buttonClass("primary")}>
          {t("purchase.title")}
        </Link>
      </div>
      <OrdersTable orders={items} />
      {(page > 1 || hasMore) && (
        <nav className="mt-6 flex justify-between">
          {page > 1 ? (
            <Link href={{ pathname: "/orders", query: { page: page - 1 } }} className={buttonClass("outline")}>
              {t("orders.previous")}
            </Link>
          ) : (
            <span />
          )}
          {hasMore && (
            <Link href={{ pathname: "/orders", query: { page: page + 1 } }} className={buttonClass("outline")}>
              {t("orders.next")}
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
